-- What a profile says an account is (issue 18): its description and the account type its network
-- declares (group, labeler, verifier, company). Both feed the person/organisation judgement, so a
-- change to either changes the kept views like a change of name or bot flag.
ALTER TABLE accounts ADD COLUMN description TEXT;
ALTER TABLE accounts ADD COLUMN kind TEXT;
CREATE TRIGGER generation_on_account_profile_change
    AFTER UPDATE OF description, kind ON accounts
    FOR EACH ROW
    WHEN (OLD.description IS DISTINCT FROM NEW.description OR OLD.kind IS DISTINCT FROM NEW.kind)
    EXECUTE FUNCTION rapport_next_generation();
