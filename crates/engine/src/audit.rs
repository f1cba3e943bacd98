//! `audit`: reads the user's own history (the relationships, the interactions touching "me", the
//! posts of "me") and hands it to `rapport_advice::audit`, which holds it against the rules of
//! social media.

use std::sync::Arc;

use rapport_advice::{Audit, AuditInputs};
use rapport_store::Read;

use crate::{Result, Snapshot, View, derived};

impl Snapshot<'_> {
    /// Holds the view's account's own history against the rules of social media.
    #[tracing::instrument(level = "debug", skip_all)]
    pub fn audit(&self, view: &View) -> Result<Audit> {
        let audit = self.view_of(
            "audit",
            view,
            "",
            || self.compute_audit(view),
            derived::encode_audit,
            derived::decode_audit,
        )?;
        Ok(Arc::unwrap_or_clone(audit))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    fn compute_audit(&self, view: &View) -> Result<Audit> {
        let people = self.all_people(view)?;
        let as_of = people.as_of;
        let me = self.seen(view)?.ids;
        let history = self.history(&me, as_of)?;
        let history = view.seen_part(&history);
        let mut posts = self.store.posts_by(&me, Some(as_of))?;
        posts.retain(|p| view.sees(p.network));
        Ok(rapport_advice::audit(&AuditInputs {
            as_of,
            me: &me,
            people: &people.people,
            history: &history,
            posts: &posts,
        }))
    }
}
