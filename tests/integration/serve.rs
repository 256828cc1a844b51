//! `mend serve` over real HTTP: the binary is started on a free loopback
//! port, and each test speaks to it as a page would, then reads the same
//! journal with the terminal commands.

use crate::common::mend;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::Duration;

pub struct Server {
    child: Child,
    pub base: String,
    /// The server's own token, from the printed URL.
    pub key: String,
    pub banner: String,
    pub data: PathBuf,
    /// Everything the server printed after its URL, on stdout and stderr.
    pub output: std::sync::Arc<std::sync::Mutex<String>>,
    _dir: Option<tempfile::TempDir>,
    agent: ureq::Agent,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Server {
    pub fn start() -> Server {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut server = Server::start_in(dir.path());
        server._dir = Some(dir);
        server
    }

    /// A server whose sessions go into `data` (shared with terminal commands).
    pub fn start_in(data: &Path) -> Server {
        let mut child = mend(&["serve", "--port", "0"])
            .data(data)
            .command()
            .spawn()
            .expect("mend serve starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut lines = BufReader::new(stdout).lines();
        let mut banner = String::new();
        let url = loop {
            let line = lines
                .next()
                .expect("mend serve prints its URL")
                .expect("readable output");
            banner.push_str(&line);
            banner.push('\n');
            if let Some(at) = line.find("http://") {
                break line[at..].trim().to_owned();
            }
        };
        // Keep reading so the server never blocks on a full pipe.
        let output = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let collected = output.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                collected.lock().unwrap().push_str(&line);
            }
        });
        let stderr = child.stderr.take().expect("stderr is piped");
        let collected = output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                collected.lock().unwrap().push_str(&line);
            }
        });
        let (base, key) = url.split_once("/#k=").expect("a URL with a token");
        // Each sitting keeps its connection, as a page does: ureq's default
        // pool keeps 3 per host, so under the load test nearly every request
        // opened a new TCP connection (and the server a new one to serve).
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .max_idle_connections(1000)
            .max_idle_connections_per_host(1000)
            .build()
            .into();
        Server {
            child,
            base: base.to_owned(),
            key: key.to_owned(),
            banner,
            data: data.to_owned(),
            output,
            _dir: None,
            agent,
        }
    }

    fn reply(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
        let mut response = response.expect("the server answers");
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> Reply {
        let mut request = self.agent.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        Server::reply(request.call())
    }

    /// A POST as the page sends it: JSON, with the page's own origin.
    pub fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.post_raw(path, token, &body.to_string(), &[("Origin", &self.base)])
    }

    pub fn post_raw(
        &self,
        path: &str,
        token: Option<&str>,
        body: &str,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/json");
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Server::reply(request.send(body))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Opens a sitting for Alex and Sam; returns its one-screen token.
    pub fn open(&self) -> String {
        let reply = self.post(
            "/api/sittings",
            Some(&self.key),
            &json!({"partners": ["Alex", "Sam"]}),
        );
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.json()["token"].as_str().unwrap().to_owned()
    }

    /// The sitting once its thread waits for something.
    pub fn settled(&self, token: &str) -> Value {
        for _ in 0..200 {
            let view = self.get("/api/state", Some(token)).json();
            if view["waiting"]["kind"] != "busy" {
                return view;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the sitting never settled");
    }

    /// Sends `body` (plus the current turn) to `path`, insisting on success.
    pub fn act(&self, token: &str, path: &str, body: Value) -> Value {
        let reply = self.try_act(token, path, body);
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        reply.json()
    }

    pub fn try_act(&self, token: &str, path: &str, mut body: Value) -> Reply {
        let turn = self.settled(token)["turn"].clone();
        body["turn"] = turn;
        self.post(path, Some(token), &body)
    }

    pub fn answer(&self, token: &str, text: &str) -> Value {
        self.act(token, "/api/answer", json!({"text": text}))
    }

    /// Says yes to "is now a good time to go on?" as often as it is asked
    /// (of the partner whose pace the exercise follows, else of both).
    pub fn ready(&self, token: &str) -> Value {
        let mut view = self.settled(token);
        while view["waiting"]["kind"] == "ask"
            && view["waiting"]["question"]
                .as_str()
                .unwrap()
                .contains("is now a good time to go on?")
        {
            view = self.answer(token, "Yes");
        }
        view
    }
}

/// Every entry's text, one per line, as a person would read the page.
pub fn transcript(view: &Value) -> String {
    view["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| match e["kind"].as_str().unwrap() {
            "handoff" => format!("Over to {}", e["name"].as_str().unwrap()),
            "answer" => format!(
                "{}: {}",
                e["name"].as_str().unwrap_or("›"),
                e["text"].as_str().unwrap()
            ),
            "question" => format!(
                "{} ({}) · {}\n{}",
                e["name"].as_str().unwrap(),
                e["role"].as_str().unwrap(),
                e["progress"].as_str().unwrap(),
                e["text"].as_str().unwrap()
            ),
            _ => e["text"].as_str().unwrap().to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Picks i-statements (no role-swap offer: it swaps them itself) and answers Alex's round.
fn first_round(server: &Server, token: &str) {
    let view = server.settled(token);
    assert_eq!(view["waiting"]["kind"], "pick");
    server.act(token, "/api/pick", json!({"exercise": "i-statements"}));
    let view = server.settled(token);
    // I-statements swaps the roles itself: no offer to swap them first,
    // straight to Alex's first question.
    assert_eq!(view["waiting"]["kind"], "answer", "{view}");
    assert!(
        !transcript(&view).contains("Would you like to swap"),
        "{view}"
    );
    assert_eq!(view["waiting"]["name"], "Alex", "{view}");
    server.answer(token, "We never eat together any more.");
    server.answer(token, "lonely");
    server.answer(token, "I feel lonely when we eat dinner with our phones out, because time together matters to me, and I need us to keep phones away at dinner.");
    server.answer(
        token,
        "What I heard is that you feel lonely at dinner when the phones are out.",
    );
    server.answer(token, "yes");
    // Sam takes a turn as speaker.
    server.answer(token, "yes");
}

#[test]
fn one_screen_plays_i_statements_to_the_notes() {
    let server = Server::start();
    let token = server.open();
    let view = server.settled(&token);
    let text = transcript(&view);
    assert!(text.contains("Welcome to mend"), "{text}");
    assert!(text.contains("does not replace, guidance from a professional"));
    assert_eq!(view["you"]["role"], "host");
    first_round(&server, &token);
    // A check sends an answer back with a hint, and the words stay in the box.
    server.answer(&token, "I come home and nobody says hello.");
    server.answer(&token, "invisible");
    let retry = server.answer(&token, "You never say hello when I come home.");
    assert_eq!(retry["waiting"]["kind"], "answer");
    assert_eq!(retry["waiting"]["name"], "Sam");
    // The refused words are shown above an empty box, as in the terminal.
    assert_eq!(retry["waiting"]["prefill"], "");
    let hints = transcript(&retry);
    assert!(hints.contains("own side"), "{hints}");
    assert!(
        hints.contains("You wrote: You never say hello when I come home."),
        "{hints}"
    );
    // Where am I, and changing the last answer.
    let there = server.act(&token, "/api/command", json!({"command": "where"}));
    assert!(transcript(&there).contains("It is Sam's turn, as the speaker"));
    let back = server.act(&token, "/api/command", json!({"command": "back"}));
    assert_eq!(back["waiting"]["prefill"], "invisible");
    server.answer(&token, "invisible");
    server.answer(&token, "I feel invisible when I come home and no one looks up, because I want to matter to you, and I need a hello.");
    let view = server.answer(
        &token,
        "What I heard is that you want a real hello when you come home.",
    );
    assert_eq!(view["waiting"]["name"], "Sam");
    assert_eq!(view["waiting"]["choices"][0]["label"], "Yes, that's it.");
    let view = server.answer(&token, "yes");
    // The closing: how each partner is leaving, Alex first.
    assert_eq!(
        view["waiting"]["text"], "Alex, before you finish: how are you leaving this?",
        "{view}"
    );
    assert_eq!(
        view["waiting"]["choices"][1]["label"],
        "Stirred up, but all right."
    );
    server.answer(&token, "settled");
    // Stirred up: what would help in the next hour (asked only of Sam, who
    // is not settled), then another exercise?
    let view = server.answer(&token, "stirred");
    assert_eq!(view["waiting"]["kind"], "answer", "{view}");
    assert!(
        view["waiting"]["text"]
            .as_str()
            .unwrap_or_default()
            .contains("next hour"),
        "{view}"
    );
    let view = server.answer(&token, "Tea in the garden");
    assert_eq!(view["waiting"]["kind"], "ask", "{view}");
    let ended = server.answer(&token, "No");
    assert_eq!(ended["waiting"]["kind"], "ended", "{ended}");
    let text = transcript(&ended);
    assert!(text.contains("What you did today"), "{text}");
    assert!(text.contains("I-statements: finished"), "{text}");
    let notes = ended["notes_html"].as_str().unwrap();
    assert!(
        notes.contains("I feel lonely when we eat dinner"),
        "{notes}"
    );
    // The notes download as Markdown, named after the session.
    let session = ended["session"].as_str().unwrap();
    let markdown = server.get("/api/notes.md", Some(&token));
    assert_eq!(markdown.status, 200);
    assert_eq!(
        markdown.header("content-disposition"),
        Some(format!("attachment; filename=\"mend-notes-{session}.md\"").as_str())
    );
    assert!(
        markdown.body.contains("Alex (speaker): I feel lonely"),
        "{}",
        markdown.body
    );
    // Nothing typed ever reached the server's output (it logs nothing).
    let printed = server.output.lock().unwrap().clone();
    assert!(!printed.contains("lonely"), "{printed}");
    // The terminal reads the same journal.
    let notes = mend(&["notes", session]).data(&server.data).ok().stdout;
    assert!(
        notes.contains("I feel invisible when I come home"),
        "{notes}"
    );
}

#[test]
fn a_break_in_the_browser_resumes_in_the_terminal() {
    let server = Server::start();
    let token = server.open();
    first_round(&server, &token);
    let view = server.act(&token, "/api/command", json!({"command": "break"}));
    assert_eq!(view["waiting"]["kind"], "paused", "{view}");
    let text = transcript(&view);
    assert!(text.contains("Take at least 20 minutes apart"), "{text}");
    let session = view["session"].as_str().unwrap().to_owned();
    assert!(text.contains(&format!("mend resume {session}")), "{text}");
    // While paused, the session is free: the terminal takes it up.
    let resumed = mend(&["resume", &session])
        .data(&server.data)
        .stdin("y\ny\nI come home and nobody says hello.\n")
        .run();
    assert!(
        resumed
            .stdout
            .contains("Sam (speaker) · question 7, round 2 of 2"),
        "{}{}",
        resumed.stdout,
        resumed.stderr
    );
    // Back in the browser, Resume picks up after the terminal's answer,
    // with the same welcome back as the terminal's.
    let view = server.act(&token, "/api/resume", json!({}));
    let text = transcript(&view);
    assert!(text.contains("Welcome back, Alex and Sam"), "{text}");
    assert!(text.contains("So far in I-statements:"), "{text}");
    assert!(
        text.contains("Sam: Sam, what has been hard lately?"),
        "{text}"
    );
    assert!(
        text.contains("I come home and nobody says hello."),
        "{text}"
    );
    let view = server.ready(&token);
    assert_eq!(view["waiting"]["kind"], "answer", "{view}");
    assert!(
        view["waiting"]["text"]
            .as_str()
            .unwrap()
            .contains("what do you feel inside"),
        "{view}"
    );
    assert!(transcript(&view).contains("Welcome back, Alex and Sam"));
}

#[test]
fn a_session_paused_in_the_terminal_resumes_in_the_browser() {
    let data = tempfile::tempdir().unwrap();
    let played = mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .data(data.path())
        .stdin("We never eat together any more.\n")
        .run();
    assert_ne!(played.code, 0, "input ran out mid-exercise");
    let server = Server::start_in(data.path());
    let home = server.get("/api/state", Some(&server.key)).json();
    assert_eq!(home["kind"], "server");
    assert!(
        home["safety"]
            .as_str()
            .unwrap()
            .contains("domestic-abuse service")
    );
    let paused = &home["paused"][0];
    assert_eq!(paused["partners"], json!(["Alex", "Sam"]));
    assert_eq!(paused["exercise"], "i-statements");
    let opened = server.post(
        "/api/sittings",
        Some(&server.key),
        &json!({"resume": paused["id"]}),
    );
    assert_eq!(opened.status, 200, "{}", opened.body);
    let token = opened.json()["token"].as_str().unwrap().to_owned();
    let view = server.settled(&token);
    // The terminal's welcome back: when it stopped, the question waiting,
    // the answers so far, then whether now is a good time.
    let text = transcript(&view);
    assert!(text.contains("Welcome back, Alex and Sam"), "{text}");
    assert!(text.contains("I-statements stopped on"), "{text}");
    assert!(
        text.contains("The question waiting: When that happens, what do you feel inside?"),
        "{text}"
    );
    assert!(text.contains("We never eat together any more."), "{text}");
    assert_eq!(view["waiting"]["kind"], "ask", "{view}");
    let view = server.ready(&token);
    assert_eq!(view["waiting"]["kind"], "answer", "{view}");
    assert_eq!(view["waiting"]["name"], "Alex");
    assert!(
        view["waiting"]["text"]
            .as_str()
            .unwrap()
            .contains("what do you feel inside")
    );
}

#[test]
fn two_devices_answer_only_on_their_own_turn() {
    let server = Server::start();
    let host = server.open();
    server.settled(&host);
    let links = server.get("/api/links", Some(&host)).json();
    let token = |i: usize| {
        let url = links[i]["url"].as_str().unwrap();
        assert!(url.starts_with(&server.base), "{url}");
        assert!(links[i]["qr_svg"].as_str().unwrap().contains("<svg"));
        url.split_once("#k=").unwrap().1.to_owned()
    };
    let (alex, sam, therapist) = (token(0), token(1), token(2));
    assert_eq!(links[0]["who"], "Alex");
    assert_eq!(links[2]["who"], "Therapist (read-only)");
    // Only the one-screen link shows the join links.
    assert_eq!(server.get("/api/links", Some(&alex)).status, 403);
    // Either partner picks; the swap question is for both.
    server.act(&sam, "/api/pick", json!({"exercise": "i-statements"}));
    server.answer(&alex, "No");
    let view = server.settled(&sam);
    assert_eq!(view["you"], json!({"role": "partner", "partner": 1}));
    assert_eq!(view["waiting"]["name"], "Alex");
    // Sam cannot answer on Alex's turn; nor can the therapist.
    let refused = server.try_act(&sam, "/api/answer", json!({"text": "not my turn"}));
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("other partner's turn"));
    let refused = server.try_act(&therapist, "/api/answer", json!({"text": "x"}));
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("read-only"));
    // Nothing refused reached the conversation.
    assert!(!transcript(&server.settled(&host)).contains("not my turn"));
    let view = server.answer(&alex, "We never eat together any more.");
    assert_eq!(view["waiting"]["name"], "Alex");
    // Either partner may take a break at any question.
    let view = server.act(&sam, "/api/command", json!({"command": "break"}));
    assert_eq!(view["waiting"]["kind"], "paused");
    // The therapist reads along: the same conversation, with Alex's words.
    let watching = server.settled(&therapist);
    assert_eq!(watching["you"]["role"], "therapist");
    assert!(transcript(&watching).contains("Alex: We never eat together any more."));
    server.act(&alex, "/api/resume", json!({}));
    let view = server.ready(&alex);
    assert_eq!(view["waiting"]["name"], "Alex", "{view}");
}

#[test]
fn live_updates_arrive_as_server_sent_events() {
    let server = Server::start();
    let host = server.open();
    server.settled(&host);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let response = agent
        .get(format!("{}/api/events", server.base))
        .header("Authorization", format!("Bearer {host}"))
        .call()
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers().get("content-type").unwrap(),
        "text/event-stream"
    );
    let mut reader = BufReader::new(response.into_body().into_reader());
    let mut next_view = || loop {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "the stream ended");
        if let Some(data) = line.strip_prefix("data: ") {
            return serde_json::from_str::<Value>(data).unwrap();
        }
    };
    let first = next_view();
    assert_eq!(first["waiting"]["kind"], "pick");
    assert_eq!(first["since"], 0);
    let seen = first["entries"].as_array().unwrap().len();
    server.act(&host, "/api/pick", json!({"exercise": "i-statements"}));
    // Later events carry only what is new. (Bounded: a stream that never
    // brings the first question fails instead of hanging.)
    let later = (0..50)
        .map(|_| next_view())
        .find(|view| view["waiting"]["kind"] == "answer")
        .expect("the first question arrives within 50 events");
    assert!(later["since"].as_u64().unwrap() >= seen as u64);
}

#[test]
fn the_page_is_served_with_a_strict_policy_and_no_token() {
    let server = Server::start();
    let page = server.get("/", None);
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("<script src=\"/app.js\" defer></script>")
    );
    assert!(!page.body.contains("<script>"), "no inline script");
    assert!(!page.body.contains("style="), "no inline style");
    assert!(!page.body.contains("https://"), "nothing from elsewhere");
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    let script = server.get("/app.js", None);
    assert_eq!(script.status, 200);
    assert!(
        script
            .header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(
        !script.body.contains("innerHTML = entry"),
        "entries are text"
    );
    let style = server.get("/style.css", None);
    assert!(style.body.contains("prefers-color-scheme: dark"));
    assert!(style.body.contains("prefers-reduced-motion"));
    assert!(style.body.contains("@media print"));
    assert_eq!(server.get("/nothing-here", None).status, 404);
    assert!(
        server.banner.contains("keep it to yourselves"),
        "{}",
        server.banner
    );
    assert!(!server.banner.contains("warning"), "{}", server.banner);
}

/// Each kind of wrong token, tried on every route of a fresh server (so the
/// guessing limit is not reached).
#[test]
fn every_api_route_refuses_a_missing_or_wrong_token() {
    let gets = ["/api/state", "/api/events", "/api/links", "/api/notes.md"];
    let posts = [
        "/api/sittings",
        "/api/answer",
        "/api/command",
        "/api/pick",
        "/api/resume",
        "/api/stop",
    ];
    let body = json!({"turn": 1, "text": "x"});
    for kind in [
        "none",
        "wrong secret",
        "another sitting's secret",
        "the server's secret",
        "garbage",
    ] {
        let server = Server::start();
        let host = server.open();
        let other = server.open();
        let sitting = host.split_once('.').unwrap().0;
        let token = match kind {
            "none" => None,
            "wrong secret" => Some(format!("{sitting}.{}", "0".repeat(32))),
            "another sitting's secret" => {
                Some(format!("{sitting}.{}", other.split_once('.').unwrap().1))
            }
            "the server's secret" => Some(format!(
                "{sitting}.{}",
                server.key.split_once('.').unwrap().1
            )),
            _ => Some("garbage".to_owned()),
        };
        for path in gets {
            let reply = server.get(path, token.as_deref());
            assert_eq!(reply.status, 401, "GET {path} with {kind}: {}", reply.body);
            assert!(reply.body.contains("not valid"), "{}", reply.body);
        }
        for path in posts {
            let reply = server.post(path, token.as_deref(), &body);
            assert_eq!(reply.status, 401, "POST {path} with {kind}: {}", reply.body);
        }
        // The right tokens still work: the secrets were only compared.
        assert_eq!(server.get("/api/state", Some(&host)).status, 200);
        assert_eq!(server.get("/api/state", Some(&other)).status, 200);
    }
}

#[test]
fn each_token_opens_only_its_own_doors() {
    let server = Server::start();
    let host = server.open();
    server.settled(&host);
    let body = json!({"turn": 1, "text": "x"});
    // The server's token opens sittings but plays none.
    let reply = server.post("/api/answer", Some(&server.key), &body);
    assert_eq!(reply.status, 403, "{}", reply.body);
    assert_eq!(server.get("/api/events", Some(&server.key)).status, 403);
    // A sitting's token opens no sitting.
    let reply = server.post(
        "/api/sittings",
        Some(&host),
        &json!({"partners": ["A", "B"]}),
    );
    assert_eq!(reply.status, 403, "{}", reply.body);
    // No notes before the end.
    assert_eq!(server.get("/api/notes.md", Some(&host)).status, 404);
}

#[test]
fn guessing_tokens_is_rate_limited() {
    let server = Server::start();
    for _ in 0..20 {
        assert_eq!(server.get("/api/state", Some("mend.guess")).status, 401);
    }
    let reply = server.get("/api/state", Some("mend.guess"));
    assert_eq!(reply.status, 429, "{}", reply.body);
    // Even the right token waits out the window from that address.
    assert_eq!(server.get("/api/state", Some(&server.key)).status, 429);
}

#[test]
fn changes_are_refused_when_replayed_oversized_or_from_another_site() {
    let server = Server::start();
    let host = server.open();
    let view = server.settled(&host);
    let turn = view["turn"].as_u64().unwrap();
    let pick = json!({"turn": turn, "exercise": "i-statements"});
    assert_eq!(server.post("/api/pick", Some(&host), &pick).status, 200);
    // The same request again answers a turn that is over.
    let replayed = server.post("/api/pick", Some(&host), &pick);
    assert_eq!(replayed.status, 409, "{}", replayed.body);
    let view = server.settled(&host);
    let turn = view["turn"].as_u64().unwrap();
    // A page of another site (its Origin, or the browser's Sec-Fetch-Site).
    let answer = json!({"turn": turn, "text": "No"}).to_string();
    for headers in [
        [("Origin", "http://evil.example")],
        [("Sec-Fetch-Site", "cross-site")],
    ] {
        let reply = server.post_raw("/api/answer", Some(&host), &answer, &headers);
        assert_eq!(reply.status, 403, "{headers:?}: {}", reply.body);
    }
    // Not JSON: a form post from another page is not even read.
    let mut request = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent()
        .post(format!("{}/api/answer", server.base))
        .header("Authorization", format!("Bearer {host}"))
        .header("Content-Type", "application/x-www-form-urlencoded");
    request = request.header("Origin", server.base.as_str());
    let reply = Server::reply(request.send("text=No"));
    assert_eq!(reply.status, 415, "{}", reply.body);
    // Longer than the longest answer can be, however it is escaped.
    let huge = json!({"turn": turn, "text": "a".repeat(120_000)}).to_string();
    let reply = server.post_raw("/api/answer", Some(&host), &huge, &[]);
    assert_eq!(reply.status, 413, "{}", reply.body);
    // Malformed: refused without repeating what was sent.
    let reply = server.post_raw(
        "/api/answer",
        Some(&host),
        r#"{"turn": "my secret words", "text": "x"}"#,
        &[],
    );
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert!(!reply.body.contains("secret words"), "{}", reply.body);
    // A command the page never sends.
    let reply = server.post(
        "/api/command",
        Some(&host),
        &json!({"turn": turn, "command": "quit"}),
    );
    assert_eq!(reply.status, 422);
    // None of it changed the sitting: Alex's first question still waits.
    let view = server.settled(&host);
    assert_eq!(view["turn"].as_u64().unwrap(), turn);
    assert_eq!(view["waiting"]["kind"], "answer");
    let entries = view["entries"].as_array().unwrap();
    assert!(!entries.iter().any(|e| e["kind"] == "answer"), "{view}");
    // An answer longer than the limit (but within the body bound) is asked again.
    let long = server.answer(&host, &"a".repeat(16_001));
    assert_eq!(long["waiting"]["kind"], "answer");
    assert!(transcript(&long).contains("16000"), "{}", transcript(&long));
}

#[test]
fn names_are_checked_before_a_sitting_opens() {
    let server = Server::start();
    for (body, why) in [
        (json!({"partners": ["Alex", "alex"]}), "need to differ"),
        (json!({"partners": ["", "Sam"]}), "empty"),
        (json!({}), "either both partners' names"),
        (
            json!({"resume": "20000101-000000-0000"}),
            "no paused session",
        ),
    ] {
        let reply = server.post("/api/sittings", Some(&server.key), &body);
        assert!(reply.status >= 400, "{body}: {}", reply.body);
        assert!(reply.body.contains(why), "{body}: {}", reply.body);
    }
}

#[test]
fn the_browser_journals_private_answers_and_safety_words_as_the_terminal_does() {
    let server = Server::start();
    let token = server.open();
    server.settled(&token);
    server.act(&token, "/api/pick", json!({"exercise": "i-statements"}));
    server.answer(&token, "The phone at dinner.");
    // "Keep this answer out of the notes" is the terminal's `:private`.
    let view = server.act(
        &token,
        "/api/answer",
        json!({"text": "We never eat together any more.", "private": true}),
    );
    let text = transcript(&view);
    assert!(
        text.contains("Alex's answer to this question will stay out of the session notes."),
        "{text}"
    );
    // An answer naming fear brings the safety note back.
    let notes_before = text.matches("call your local emergency number").count();
    let view = server.answer(&token, "terrified");
    let text = transcript(&view);
    assert_eq!(
        text.matches("call your local emergency number").count(),
        notes_before + 1,
        "{text}"
    );
    let view = server.act(&token, "/api/command", json!({"command": "break"}));
    assert_eq!(view["waiting"]["kind"], "paused", "{view}");
    let session = view["session"].as_str().unwrap().to_owned();
    // The notes the terminal writes from that journal: the private answer
    // kept out, the safety flag and the break kept, as for a terminal sitting.
    let notes = mend(&["notes", &session]).data(&server.data).ok().stdout;
    assert!(!notes.contains("We never eat together"), "{notes}");
    assert!(notes.to_lowercase().contains("safety"), "{notes}");
    // The flag names the question and the kind of words, and "terrified"
    // answered the question kept private, so it stays out too.
    assert!(
        notes.contains("**Alex**, answering “When that happens, what do you feel inside? One or two feeling words are enough.” (fear)"),
        "{notes}"
    );
    assert!(!notes.contains("terrified"), "{notes}");
    assert!(notes.to_lowercase().contains("break"), "{notes}");
}

#[test]
fn another_exercise_after_the_first_is_picked_and_played() {
    let server = Server::start();
    let token = server.open();
    for _ in 0..2 {
        first_round(&server, &token);
        server.answer(&token, "I come home and nobody says hello.");
        server.answer(&token, "invisible");
        server.answer(&token, "I feel invisible when I come home and no one looks up, because I want to matter to you, and I need a hello.");
        server.answer(
            &token,
            "What I heard is that you want a real hello when you come home.",
        );
        server.answer(&token, "yes");
        server.answer(&token, "settled");
        let view = server.answer(&token, "settled");
        assert_eq!(view["waiting"]["kind"], "ask", "{view}");
        let view = server.answer(&token, "Yes");
        assert_eq!(view["waiting"]["kind"], "pick", "{}", transcript(&view));
    }
}

/// The lines under "What you did today", and what follows them up to the
/// thanks, as a person reads them: from the terminal's output...
fn terminal_summary(out: &str) -> Vec<String> {
    let after = out
        .split("What you did today\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no summary in the terminal:\n{out}"));
    after
        .lines()
        .take_while(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// ...and from the page's conversation.
fn browser_summary(view: &Value) -> Vec<String> {
    let entries = view["entries"].as_array().unwrap();
    let at = entries
        .iter()
        .rposition(|e| e["kind"] == "heading" && e["text"] == "What you did today")
        .unwrap_or_else(|| panic!("no summary in the browser:\n{}", transcript(view)));
    entries[at + 1]["text"]
        .as_str()
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_browser_and_the_terminal_sum_up_the_same_sitting_alike() {
    // One sitting, played once in each front-end with the same answers:
    // Alex declines the apology ("Not today"), then I-statements pauses
    // for a break before its first question.
    let terminal = mend(&["session", "--partners", "Alex,Sam"])
        .stdin("apology-ritual\nn\nlater\n1\n1\ny\ni-statements\n:break\n")
        .ok()
        .stdout;
    let server = Server::start();
    let token = server.open();
    server.act(&token, "/api/pick", json!({"exercise": "apology-ritual"}));
    for answer in ["No", "later", "1", "1", "Yes"] {
        server.answer(&token, answer);
    }
    assert_eq!(server.settled(&token)["waiting"]["kind"], "pick");
    server.act(&token, "/api/pick", json!({"exercise": "i-statements"}));
    let paused = server.answer(&token, ":break");
    assert_eq!(paused["waiting"]["kind"], "paused", "{paused}");
    let ended = server.act(&token, "/api/stop", json!({}));
    assert_eq!(ended["waiting"]["kind"], "ended", "{ended}");

    let expected = vec![
        "  Apology with corrective action: declined by Alex: “Not today.”".to_owned(),
        "  I-statements: paused for a break".to_owned(),
    ];
    assert_eq!(terminal_summary(&terminal), expected, "{terminal}");
    assert_eq!(browser_summary(&ended), expected, "{}", transcript(&ended));
    // Both say where it is saved and how to pick it up, and thank them.
    let page = transcript(&ended);
    let session = ended["session"].as_str().unwrap();
    for text in [&terminal, &page] {
        assert!(
            text.contains("To pick up where you left off: mend resume "),
            "{text}"
        );
        assert!(
            text.contains("Thank you both for the care you put into this."),
            "{text}"
        );
    }
    assert!(
        page.contains(&format!("Everything is saved as session {session}.")),
        "{page}"
    );
}
