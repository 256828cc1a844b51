//! A small W3C WebDriver client over ureq, for the browser test: WebDriver is
//! JSON over HTTP, and the client crates would add 45 (thirtyfour, reqwest
//! only) to 80 crates and well over a minute to every test build for the
//! dozen calls used here (docs/serve.md, "How it is tested", has the
//! measurements).

use serde_json::{Value, json};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running chromedriver.
pub struct Driver {
    process: Child,
    base: String,
    chromium: PathBuf,
    agent: ureq::Agent,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

impl Driver {
    /// Starts chromedriver, or says why it cannot (then the test skips).
    pub fn start() -> Result<Driver, String> {
        let chromium = on_path(&["chromium", "chromium-browser", "google-chrome"])
            .ok_or("no chromium on PATH (apt-get install chromium chromium-driver)")?;
        let driver = on_path(&["chromedriver"])
            .ok_or("no chromedriver on PATH (apt-get install chromium-driver)")?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let process = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("chromedriver does not start: {e}"))?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let driver = Driver {
            process,
            base: format!("http://127.0.0.1:{port}"),
            chromium,
            agent,
        };
        let started = Instant::now();
        loop {
            let ready = driver
                .agent
                .get(format!("{}/status", driver.base))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_to_string().ok())
                .and_then(|text| serde_json::from_str::<Value>(&text).ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                return Ok(driver);
            }
            if started.elapsed() > Duration::from_secs(15) {
                return Err("chromedriver did not become ready".to_owned());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let response = match (method, body) {
            ("GET", _) => self.agent.get(url).call(),
            ("DELETE", _) => self.agent.delete(url).call(),
            (_, body) => self
                .agent
                .post(url)
                .header("Content-Type", "application/json")
                .send(body.unwrap_or_else(|| json!({})).to_string()),
        };
        let mut response = response.expect("chromedriver answers");
        let status = response.status();
        let text = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .expect("a reply from chromedriver");
        let value: Value = serde_json::from_str(&text).expect("JSON from chromedriver");
        assert!(status.is_success(), "{method} {path}: {value}");
        value["value"].clone()
    }

    /// A new browser, as separate as another device: its own profile.
    pub fn browser(&self, width: u32, height: u32) -> Browser<'_> {
        let profile = tempfile::tempdir().expect("a profile folder");
        let args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-extensions".to_owned(),
            "--disable-sync".to_owned(),
            "--no-first-run".to_owned(),
            "--hide-scrollbars".to_owned(),
            "--force-prefers-reduced-motion".to_owned(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let value = self.call(
            "POST",
            "/session",
            Some(json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": self.chromium,
                    "args": args,
                    // A real phone's width: a desktop window cannot be narrower than 500.
                    "mobileEmulation": {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1}}
                }
            }}})),
        );
        let session = value["sessionId"]
            .as_str()
            .expect("a session id")
            .to_owned();
        Browser {
            driver: self,
            session,
            _profile: profile,
        }
    }
}

pub struct Browser<'d> {
    driver: &'d Driver,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Browser<'_> {
    fn drop(&mut self) {
        let path = format!("/session/{}", self.session);
        let _ = self
            .driver
            .agent
            .delete(format!("{}{path}", self.driver.base))
            .call();
    }
}

/// How long a page may take to show what a test waits for.
const PATIENCE: Duration = Duration::from_secs(15);

impl Browser<'_> {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.driver
            .call(method, &format!("/session/{}{path}", self.session), body)
    }

    pub fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({"url": url})));
    }

    /// Runs `script` in the page and returns what it returns.
    pub fn run(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Runs an asynchronous script: it calls `arguments[arguments.length - 1]`.
    pub fn run_async(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Waits until `script` returns something truthy, and returns it.
    pub fn wait_for(&self, what: &str, script: &str) -> Value {
        let started = Instant::now();
        loop {
            let value = self.run(script, json!([]));
            let truthy = !matches!(value, Value::Null | Value::Bool(false))
                && value != json!("")
                && value != json!(0);
            if truthy {
                return value;
            }
            if started.elapsed() > PATIENCE {
                let page = self.run("return document.body.innerText", json!([]));
                panic!(
                    "waited in vain for {what}; the page shows:\n{}",
                    page.as_str().unwrap_or("")
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The visible text of the page.
    #[allow(dead_code)]
    pub fn text(&self) -> String {
        self.run("return document.body.innerText", json!([]))
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Waits for the text to appear on the page.
    pub fn wait_text(&self, text: &str) {
        self.wait_for(
            &format!("\"{text}\""),
            &format!(
                "return document.body.innerText.includes({})",
                serde_json::to_string(text).unwrap()
            ),
        );
    }

    fn element(&self, css: &str) -> String {
        let script = format!(
            "const e = document.querySelector({}); return e && !e.closest('[hidden]') && e.offsetParent !== null ? e : null",
            serde_json::to_string(css).unwrap()
        );
        let found = self.wait_for(&format!("a visible `{css}`"), &script);
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .expect("an element reference")
            .to_owned()
    }

    pub fn click(&self, css: &str) {
        let id = self.element(css);
        self.click_element(&id);
    }

    /// Clicks as a person would, with the element scrolled to the middle of
    /// the window (clear of the sticky banner and the break bar).
    fn click_element(&self, id: &str) {
        self.run(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})",
            json!([{"element-6066-11e4-a52e-4f735466cecf": id}]),
        );
        self.call("POST", &format!("/element/{id}/click"), None);
    }

    /// Clicks the visible button whose text is `label`.
    pub fn press(&self, label: &str) {
        let script = format!(
            "return [...document.querySelectorAll('button')].find(b => b.offsetParent !== null && !b.disabled && b.textContent.trim() === {})",
            serde_json::to_string(label).unwrap()
        );
        let found = self.wait_for(&format!("a button \"{label}\""), &script);
        let id = found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .expect("an element reference")
            .to_owned();
        self.click_element(&id);
    }

    /// Types into a field as a keyboard would; `\n` presses Enter.
    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        let keys = text.replace('\n', "\u{E007}");
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({"text": keys})),
        );
    }

    /// Whether a visible element matches `css`, now.
    pub fn shows(&self, css: &str) -> bool {
        self.run(
            &format!(
                "const e = document.querySelector({}); return !!(e && !e.closest('[hidden]') && e.offsetParent !== null)",
                serde_json::to_string(css).unwrap()
            ),
            json!([]),
        ) == json!(true)
    }

    pub fn screenshot(&self, path: &Path) {
        use base64_decode::decode;
        let value = self.call("GET", "/screenshot", None);
        let png = decode(value.as_str().expect("base64 PNG"));
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("the artifacts folder");
        std::fs::write(path, png).expect("the screenshot is written");
    }
}

/// Base64 as WebDriver sends screenshots; a dozen lines rather than a crate.
mod base64_decode {
    pub fn decode(text: &str) -> Vec<u8> {
        let value = |c: u8| match c {
            b'A'..=b'Z' => Some(c - b'A'),
            b'a'..=b'z' => Some(c - b'a' + 26),
            b'0'..=b'9' => Some(c - b'0' + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        };
        let digits: Vec<u8> = text.bytes().filter_map(value).collect();
        let mut out = Vec::with_capacity(digits.len() * 3 / 4);
        for chunk in digits.chunks(4) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, d)| n | u32::from(*d) << (18 - 6 * i));
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            out.extend_from_slice(&bytes[..chunk.len().saturating_sub(1)]);
        }
        out
    }

    #[test]
    fn decodes_padded_and_unpadded_text() {
        assert_eq!(decode("aGVsbG8="), b"hello");
        assert_eq!(decode("aGk="), b"hi");
        assert_eq!(decode("YWJj"), b"abc");
    }
}
