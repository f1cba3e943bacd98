//! Team mode from the command line, on a real PostgreSQL: `rapport admin` sets a team up and moves
//! a personal store in; `rapport serve --database` killed with SIGKILL in the middle of an import
//! leaves no partial batch.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rapport_engine::team::WorkspaceId;
use rapport_test_support::postgres::database;

use crate::support::Sandbox;

const PASSWORD: &str = "correct horse battery staple";

fn admin(sandbox: &Sandbox, url: &str, args: &[&str], stdin: &str) -> std::process::Output {
    let mut cmd = sandbox.rapport(&["--database", url, "admin"]);
    cmd.args(args).write_stdin(stdin.to_owned()).timeout(Duration::from_secs(120));
    cmd.output().expect("running rapport admin")
}

fn text(out: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn admin_sets_up_a_team_and_moves_a_personal_store_in_once() {
    let sandbox = Sandbox::new();
    let db = database();
    let url = db.url();
    let owner = ["create-owner", "--name", "ann", "--workspace", "Acme", "--password-stdin"];
    let made = admin(&sandbox, url, &owner, &format!("{PASSWORD}\n"));
    assert!(made.status.success(), "{}", text(&made));
    let again = admin(&sandbox, url, &owner, &format!("{PASSWORD}\n"));
    assert!(!again.status.success() && text(&again).contains("exists already"), "{}", text(&again));
    let weak = ["create-owner", "--name", "bob", "--workspace", "Acme", "--password-stdin"];
    assert!(text(&admin(&sandbox, url, &weak, "short\n")).contains("between 12"));

    let users = admin(&sandbox, url, &["users", "--format", "csv"], "");
    assert!(text(&users).contains("ann,1,"), "{}", text(&users));
    let spaces = text(&admin(&sandbox, url, &["workspaces", "--format", "csv"], ""));
    assert!(spaces.contains("Acme,ann,owner"), "{spaces}");
    let invite =
        text(&admin(&sandbox, url, &["invite", "--workspace", "Acme", "--role", "editor"], ""));
    assert!(invite.contains("/invite?token=ri_"), "{invite}");
    let set = ["set-role", "--user", "ANN", "--workspace", "Beta", "--role", "viewer"];
    let no_beta = admin(&sandbox, url, &set, "");
    assert!(!no_beta.status.success() && text(&no_beta).contains("no workspace 'Beta'"));
    rapport_engine::team::connect(url).expect("connect").create_workspace("Beta").expect("Beta");
    assert!(admin(&sandbox, url, &set, "").status.success());
    let spaces = text(&admin(&sandbox, url, &["workspaces", "--format", "csv"], ""));
    assert!(spaces.contains("Beta,ann,viewer"), "{spaces}");
    let unset = ["set-role", "--user", "ann", "--workspace", "Beta", "--role", "none"];
    assert!(admin(&sandbox, url, &unset, "").status.success());
    assert!(!admin(&sandbox, url, &unset, "").status.success(), "removed twice");
    let nowhere = admin(&sandbox, url, &["invite", "--workspace", "Nope"], "");
    assert!(!nowhere.status.success() && text(&nowhere).contains("no workspace 'Nope'"));

    let demo = sandbox.rapport(&["demo", "--people", "40"]).output().expect("the demo");
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let store = sandbox.db();
    let store = store.to_str().expect("a UTF-8 path");
    let moved = admin(&sandbox, url, &["move-store", store, "--workspace", "Personal"], "");
    assert!(moved.status.success(), "{}", text(&moved));
    assert!(text(&moved).contains("interactions"), "{}", text(&moved));
    let local = sandbox.stats();
    let pg = rapport_engine::team::connect(url).expect("connect");
    let personal = pg.workspace_by_name("Personal").expect("read").expect("the workspace");
    let engine = rapport_engine::Engine::open_workspace(&pg, personal.id, sandbox.dir.path())
        .expect("open the workspace");
    let stats = engine.read().expect("read").stats().expect("stats");
    assert_eq!(stats.interactions, local["interactions"].as_u64().expect("a count"));
    let twice = admin(&sandbox, url, &["move-store", store, "--workspace", "Personal"], "");
    let after = engine.read().expect("read").stats().expect("stats");
    assert_eq!(after, stats, "moving twice changed the workspace: {}", text(&twice));

    let without =
        sandbox.rapport(&["admin", "users"]).env_remove("RAPPORT_DATABASE").output().expect("run");
    assert!(text(&without).contains("--database"), "{}", text(&without));
}

/// One HTTP/1.1 request on a new connection: (status, headers and body as text).
fn http(addr: &str, request: &str, body: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    stream.write_all(request.as_bytes()).expect("send");
    stream.write_all(body).expect("send the body");
    let mut out = String::new();
    let _ = stream.read_to_string(&mut out);
    out
}

fn serve(url: &str, sandbox: &Sandbox) -> (Child, String) {
    serve_with(sandbox, &["--database", url, "serve", "--port", "0"])
}

/// Starts `rapport ARGS` (a serve command) and reads the address off its first line.
fn serve_with(sandbox: &Sandbox, args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .env_remove("RAPPORT_DB")
        .env_remove("RAPPORT_DATABASE")
        .args(["--db"])
        .arg(sandbox.db())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting rapport serve");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut first).expect("a line");
    let addr = first
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .and_then(|w| w.split('/').next())
        .unwrap_or_else(|| panic!("no address printed: {first}"))
        .to_owned();
    (child, addr)
}

/// `POST /api/team/login` as ann with `password`: the status line.
fn log_in(addr: &str, password: &str) -> String {
    let login = format!(r#"{{"name":"ann","password":"{password}"}}"#);
    let head = format!(
        "POST /api/team/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        login.len()
    );
    http(addr, &head, login.as_bytes()).lines().next().unwrap_or("").to_owned()
}

#[test]
fn serve_reads_its_settings_from_a_config_file_and_flags_override_it() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::new();
    let db = database();
    let owner = ["create-owner", "--name", "ann", "--workspace", "Acme", "--password-stdin"];
    assert!(admin(&sandbox, db.url(), &owner, &format!("{PASSWORD}\n")).status.success());
    let dir = sandbox.dir.path();
    let write = |name: &str, text: &str, mode: u32| {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
        path.to_str().expect("UTF-8").to_owned()
    };

    let typo = write("typo.toml", "port = 0\nbnid = \"192.0.2.10\"\n", 0o600);
    let out = sandbox.rapport(&["serve", "--config", &typo]).output().expect("run");
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("bnid") && text(&out).contains("line 2"), "{}", text(&out));

    // The password in a file others may read: a warning, before anything else happens.
    let open = write("open.toml", "database_url = \"postgres://u:secret@127.0.0.1:1/x\"\n", 0o644);
    let out = sandbox.rapport(&["serve", "--config", &open]).output().expect("run");
    assert!(text(&out).contains("warning") && text(&out).contains("chmod 600"), "{}", text(&out));
    assert!(!text(&out).contains("secret"), "the password was printed: {}", text(&out));

    // The URL from a private file named by a readable config: team mode, no warning, and the
    // file's login limit (one failure locks) applies; the port comes from the flag.
    write("database-url", &format!("{}\n", db.url()), 0o600);
    let config = write(
        "rapport.toml",
        "database_url_file = \"database-url\"\nport = 1\n[login_limit]\nper_account = 1\n",
        0o644,
    );
    let (mut child, addr) = serve_with(&sandbox, &["serve", "--config", &config, "--port", "0"]);
    assert!(log_in(&addr, "not the password at all").contains(" 401"));
    let locked = log_in(&addr, PASSWORD);
    child.kill().expect("stop the server");
    child.wait().expect("reap the server");
    let mut stderr = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut stderr).expect("stderr");
    assert!(locked.contains(" 429"), "the file's login limit was not applied: {locked}");
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn a_team_server_killed_during_an_import_leaves_no_partial_batch() {
    let sandbox = Sandbox::new();
    let db = database();
    let url = db.url();
    let owner = ["create-owner", "--name", "ann", "--workspace", "Acme", "--password-stdin"];
    assert!(admin(&sandbox, url, &owner, &format!("{PASSWORD}\n")).status.success());
    let (mut child, addr) = serve(url, &sandbox);
    let login = format!(r#"{{"name":"ann","password":"{PASSWORD}"}}"#);
    let answer = http(
        &addr,
        &format!(
            "POST /api/team/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            login.len()
        ),
        login.as_bytes(),
    );
    let cookie = answer
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no session: {answer}"))
        .to_owned();
    let csrf = answer
        .split("\"csrf\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a csrf token")
        .to_owned();

    let mut body = String::from("timestamp,source,target,kind\n");
    for i in 0..600_000u32 {
        body.push_str(&format!(
            "{},u{},u{},reply\n",
            1_700_000_000 + i,
            i % 5000,
            (i * 7 + 1) % 5000
        ));
    }
    let head = format!(
        "POST /api/import?name=big.csv HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nx-csrf-token: {csrf}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let started = http(&addr, &head, body.as_bytes());
    assert!(started.starts_with("HTTP/1.1 202"), "{started}");
    let job =
        started.split("\"id\":").nth(1).and_then(|r| r.split([',', '}']).next()).expect("a job id");
    let status = format!(
        "GET /api/import/{job} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    );
    // Killed once the job is importing: its batch is open in PostgreSQL.
    let since = Instant::now();
    loop {
        let now = http(&addr, &status, b"");
        assert!(!now.contains("\"done\""), "the import ended before it could be killed: {now}");
        if now.contains("\"importing\"") {
            break;
        }
        assert!(since.elapsed() < Duration::from_secs(60), "the import never started: {now}");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(300));
    child.kill().expect("SIGKILL the server");
    child.wait().expect("reap the server");

    let pg = rapport_engine::team::connect(url).expect("connect");
    let acme = pg.workspace_by_name("Acme").expect("read").expect("Acme");
    let engine =
        rapport_engine::Engine::open_workspace(&pg, WorkspaceId(acme.id.0), sandbox.dir.path())
            .expect("open");
    let read = engine.read().expect("read");
    let stats = read.stats().expect("stats");
    assert_eq!(stats.interactions, 0, "a killed import left part of its batch");
    assert!(read.imports().expect("imports").is_empty(), "a killed import was recorded");
}

#[test]
fn delete_workspace_needs_its_name_twice_and_takes_its_tokens_along() {
    let sandbox = Sandbox::new();
    let db = database();
    let url = db.url();
    for workspace in ["Acme", "Beta"] {
        let name = format!("owner-of-{workspace}");
        let owner = ["create-owner", "--name", &name, "--workspace", workspace, "--password-stdin"];
        assert!(admin(&sandbox, url, &owner, &format!("{PASSWORD}\n")).status.success());
    }
    let pg = rapport_engine::team::connect(url).expect("connect");
    let folder_of = |name: &str| {
        let space = pg.workspace_by_name(name).expect("read").expect("the workspace");
        rapport_engine::team::workspace_dir(sandbox.dir.path(), space.id)
    };
    // Each workspace's connected accounts live in its own folder (as `connect` writes them).
    let (acme, beta) = (folder_of("Acme"), folder_of("Beta"));
    for folder in [&acme, &beta] {
        std::fs::create_dir_all(folder).expect("folder");
        std::fs::write(folder.join("credentials.json"), "{}").expect("credentials");
    }

    let unconfirmed = admin(&sandbox, url, &["delete-workspace", "Acme"], "");
    assert!(!unconfirmed.status.success() && text(&unconfirmed).contains("--confirm"));
    let wrong = admin(&sandbox, url, &["delete-workspace", "Acme", "--confirm", "Beta"], "");
    assert!(!wrong.status.success(), "{}", text(&wrong));
    assert!(pg.workspace_by_name("Acme").expect("read").is_some() && acme.exists());

    let deleted = admin(&sandbox, url, &["delete-workspace", "Acme", "--confirm", "Acme"], "");
    assert!(deleted.status.success(), "{}", text(&deleted));
    assert!(text(&deleted).contains("Deleted the workspace Acme"), "{}", text(&deleted));
    assert!(pg.workspace_by_name("Acme").expect("read").is_none());
    assert!(!acme.exists(), "the deleted workspace's tokens remain");
    assert!(beta.join("credentials.json").exists(), "another workspace's tokens went");
    let spaces = text(&admin(&sandbox, url, &["workspaces", "--format", "csv"], ""));
    assert!(!spaces.contains("Acme") && spaces.contains("Beta"), "{spaces}");
    let again = admin(&sandbox, url, &["delete-workspace", "Acme", "--confirm", "Acme"], "");
    assert!(!again.status.success() && text(&again).contains("no workspace 'Acme'"));
}

#[test]
fn connected_accounts_belong_to_their_workspace() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::new();
    let db = database();
    let url = db.url();
    let server = rapport_test_support::mastodon::StandIn::start();
    server.scenario();
    let in_acme = ["--database", url, "--workspace", "Acme"];
    let connected = crate::sync_mastodon::connect_with(&sandbox, &server, &in_acme);
    assert!(connected.contains("connected me@"), "{connected}");
    let pg = rapport_engine::team::connect(url).expect("connect");
    let acme = pg.workspace_by_name("Acme").expect("read").expect("Acme");
    let file =
        rapport_engine::team::workspace_dir(sandbox.dir.path(), acme.id).join("credentials.json");
    let mode = std::fs::metadata(&file).expect("Acme's credentials").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(!sandbox.dir.path().join("credentials.json").exists(), "shared with every workspace");

    let accounts = |workspace: &str| {
        let mut cmd = sandbox.rapport(&["--database", url, "--workspace", workspace]);
        cmd.args(["accounts", "--format", "csv"]);
        text(&cmd.output().expect("accounts"))
    };
    assert!(accounts("Acme").contains("mastodon,me@"), "{}", accounts("Acme"));
    assert!(!accounts("Beta").contains("me@"), "{}", accounts("Beta"));
    let mut sync = sandbox.rapport(&["--database", url, "--workspace", "Acme", "sync"]);
    let synced = sync.output().expect("sync");
    assert!(synced.status.success(), "{}", text(&synced));
    let engine =
        rapport_engine::Engine::open_workspace(&pg, acme.id, sandbox.dir.path()).expect("open");
    assert!(engine.read().expect("read").stats().expect("stats").interactions > 0);
}
