//! Every route of `mend serve`. The page and its files need no token; every
//! `/api/` route needs one in an `Authorization: Bearer` header (never in a
//! URL), and every change also needs a same-origin JSON request naming the
//! turn it answers. docs/serve.md explains the model.

use crate::limits::{SERVE_BODY_BYTES, SERVE_CHANGE_SECONDS, SERVE_SETTLE_SECONDS};
use crate::partners;
use crate::store::data_dir::DataDir;
use crate::store::session;
use crate::web::access::{Caller, Denied, Registry, Role, Sitting, may};
use crate::web::assets::{APP_JS, CONTENT_SECURITY_POLICY, INDEX_HTML, STYLE_CSS};
use crate::web::conversation::{Action, Entry, Refusal, Waiting};
use crate::web::notes_html::to_html;
use crate::web::sitting::Start;
use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

const BODY_BYTES: usize = SERVE_BODY_BYTES;
const CHANGE_TIME: Duration = Duration::from_secs(SERVE_CHANGE_SECONDS);
const SETTLE_TIME: Duration = Duration::from_secs(SERVE_SETTLE_SECONDS);

pub type App = Arc<Registry>;

/// The address a request came from, set for each connection.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

pub fn router(app: App) -> Router {
    let changes = Router::new()
        .route("/api/sittings", post(open_sitting))
        .route("/api/answer", post(answer))
        .route("/api/command", post(command))
        .route("/api/pick", post(pick))
        .route("/api/resume", post(resume))
        .route("/api/stop", post(stop))
        .layer(middleware::from_fn(same_origin))
        .layer(middleware::from_fn_with_state(app.clone(), with_token))
        .layer(middleware::from_fn(in_time))
        .layer(DefaultBodyLimit::max(BODY_BYTES));
    Router::new()
        .route("/", get(index))
        .route("/app.js", get(script))
        .route("/style.css", get(style))
        .route("/api/state", get(state))
        .route("/api/events", get(events))
        .route("/api/links", get(links))
        .route("/api/notes.md", get(notes_markdown))
        .merge(changes)
        .fallback(not_found)
        .layer(middleware::from_fn(secure_headers))
        .with_state(app)
}

async fn index() -> Response {
    static_file("text/html; charset=utf-8", INDEX_HTML)
}

async fn script() -> Response {
    static_file("text/javascript; charset=utf-8", APP_JS)
}

async fn style() -> Response {
    static_file("text/css; charset=utf-8", STYLE_CSS)
}

fn static_file(kind: &'static str, text: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind)], text).into_response()
}

async fn not_found() -> Response {
    refuse(StatusCode::NOT_FOUND, "there is nothing here")
}

/// Headers on every response: the strict CSP, no sniffing, no referrer (a
/// capability link never leaks through one), no framing, no caching.
async fn secure_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let fixed = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    response
}

/// A change must come from a page of this server: a browser names the
/// page's origin in `Origin` and `Sec-Fetch-Site`; another site's page is
/// refused. (A bearer token in a header is never sent by a browser on its
/// own, so a forged request has no token either; this is a second wall.)
async fn same_origin(request: Request, next: Next) -> Response {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site")
        && !matches!(site.as_bytes(), b"same-origin" | b"none")
    {
        return refuse(
            StatusCode::FORBIDDEN,
            "requests from other sites are refused",
        );
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default();
        let origin = origin.to_str().unwrap_or_default();
        let same = [format!("http://{host}"), format!("https://{host}")]
            .iter()
            .any(|o| o == origin);
        if !same || host.is_empty() {
            return refuse(
                StatusCode::FORBIDDEN,
                "requests from other sites are refused",
            );
        }
    }
    next.run(request).await
}

/// A change is read only from a caller with a valid token: the body of any
/// other request is never looked at.
async fn with_token(State(app): State<App>, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<axum::Extension<Peer>>()
        .map(|p| p.0);
    match caller(&app, request.headers(), peer.as_ref()) {
        Ok(caller) => {
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Err(response) => response,
    }
}

/// A change that takes longer than `CHANGE_TIME` (a client sending its body
/// slowly) is cut off.
async fn in_time(request: Request, next: Next) -> Response {
    match tokio::time::timeout(CHANGE_TIME, next.run(request)).await {
        Ok(response) => response,
        Err(_) => refuse(StatusCode::REQUEST_TIMEOUT, "the request took too long"),
    }
}

#[derive(Serialize)]
struct Problem<'a> {
    error: &'a str,
}

fn refuse(status: StatusCode, why: &str) -> Response {
    (status, Json(Problem { error: why })).into_response()
}

fn denied(denied: Denied) -> Response {
    match denied {
        Denied::Unknown => refuse(
            StatusCode::UNAUTHORIZED,
            "this link is not valid (or no longer is): open the link mend serve printed",
        ),
        Denied::TooMany => refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "too many wrong links from this address; wait a minute",
        ),
    }
}

fn refusal(refusal: Refusal) -> Response {
    match refusal {
        Refusal::Stale => refuse(
            StatusCode::CONFLICT,
            "the sitting has moved on since this page last looked; it shows where it is now",
        ),
        Refusal::NotAllowed(why) => refuse(StatusCode::FORBIDDEN, why),
        Refusal::NotNow(why) => refuse(StatusCode::CONFLICT, why),
        Refusal::Gone => refuse(StatusCode::GONE, "this sitting has ended"),
    }
}

/// The caller the request's bearer token names.
// The refusal is the response itself, built once per refused request.
#[allow(clippy::result_large_err)]
fn caller(app: &Registry, headers: &HeaderMap, peer: Option<&Peer>) -> Result<Caller, Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let from = peer.map_or(IpAddr::from([127, 0, 0, 1]), |p| p.0.ip());
    app.authenticate(token, from).map_err(denied)
}

// The refusal is the response itself, built once per refused request.
#[allow(clippy::result_large_err)]
fn sitting_caller(
    app: &Registry,
    headers: &HeaderMap,
    peer: Option<&Peer>,
) -> Result<(Arc<Sitting>, Role), Response> {
    match caller(app, headers, peer)? {
        Caller::Sitting(sitting, role) => Ok((sitting, role)),
        Caller::Server => Err(server_is_not_a_sitting()),
    }
}

fn server_is_not_a_sitting() -> Response {
    refuse(
        StatusCode::FORBIDDEN,
        "this is the server's link; open a sitting's link for this",
    )
}

/// A JSON body, or a refusal that never repeats what the body said.
// The refusal is the response itself, built once per refused request.
#[allow(clippy::result_large_err)]
fn body<T>(parsed: Result<Json<T>, JsonRejection>) -> Result<T, Response> {
    parsed.map(|Json(value)| value).map_err(|rejection| {
        let status = rejection.status();
        let why = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "the request is too large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "send JSON (Content-Type: application/json)",
            _ => "the request is not in the expected form",
        };
        refuse(status, why)
    })
}

#[derive(Serialize)]
struct You {
    role: &'static str,
    partner: Option<usize>,
}

#[derive(Serialize)]
struct View<'a> {
    kind: &'static str,
    sitting: &'a str,
    version: u64,
    turn: u64,
    you: You,
    partners: &'a [String; 2],
    session: Option<&'a str>,
    /// The index of the first entry sent: entries before it were sent before.
    since: usize,
    entries: &'a [Entry],
    waiting: &'a Waiting,
    notes_html: Option<String>,
}

/// The sitting as `role` sees it, with the entries from `since` on; also
/// returns how many entries there are.
fn view(sitting: &Sitting, role: Role, since: usize) -> (String, usize) {
    let inner = sitting.conversation.lock();
    let since = since.min(inner.entries.len());
    let you = match role {
        Role::Host => You {
            role: "host",
            partner: None,
        },
        Role::Partner(p) => You {
            role: "partner",
            partner: Some(p),
        },
        Role::Therapist => You {
            role: "therapist",
            partner: None,
        },
    };
    let view = View {
        kind: "sitting",
        sitting: &sitting.id,
        version: inner.version,
        turn: inner.turn,
        you,
        partners: &inner.partners,
        session: inner.session.as_deref(),
        since,
        entries: &inner.entries[since..],
        waiting: &inner.waiting,
        notes_html: inner.notes.as_deref().map(to_html),
    };
    let json = serde_json::to_string(&view).unwrap_or_else(|_| "{}".to_owned());
    (json, inner.entries.len())
}

fn json_response(json: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], json).into_response()
}

#[derive(Deserialize)]
struct Since {
    #[serde(default)]
    since: usize,
}

/// A paused session the server's page offers to resume.
#[derive(Serialize)]
struct PausedSession {
    id: String,
    partners: [String; 2],
    exercise: String,
    saved: Option<String>,
}

#[derive(Serialize)]
struct Home {
    kind: &'static str,
    safety: &'static str,
    paused: Vec<PausedSession>,
}

async fn state(
    State(app): State<App>,
    peer: Option<axum::Extension<Peer>>,
    headers: HeaderMap,
    Query(since): Query<Since>,
) -> Response {
    let peer = peer.map(|p| p.0);
    let caller = match caller(&app, &headers, peer.as_ref()) {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    match caller {
        Caller::Server => {
            let data = app.places.data.clone();
            let paused = tokio::task::spawn_blocking(move || paused_sessions(data))
                .await
                .unwrap_or_default();
            Json(Home {
                kind: "server",
                safety: crate::frontend::safety::SAFETY_NOTE,
                paused,
            })
            .into_response()
        }
        Caller::Sitting(sitting, role) => json_response(view(&sitting, role, since.since).0),
    }
}

/// Unfinished sessions, newest first.
fn paused_sessions(data: Option<std::path::PathBuf>) -> Vec<PausedSession> {
    let Ok(data) = DataDir::open(data.as_deref()) else {
        return Vec::new();
    };
    session::newest_waiting(&data, 50)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|log| {
            let run = log.unfinished()?;
            Some(PausedSession {
                id: log.id.clone(),
                partners: log.partners()?.clone(),
                exercise: run.header.exercise.id.clone(),
                saved: run
                    .saved
                    .map(|s| s.format("%Y-%m-%d %H:%M UTC").to_string()),
            })
        })
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OpenRequest {
    partners: Option<[String; 2]>,
    resume: Option<String>,
}

#[derive(Serialize)]
struct Opened {
    sitting: String,
    token: String,
}

async fn open_sitting(
    State(app): State<App>,
    axum::Extension(caller): axum::Extension<Caller>,
    parsed: Result<Json<OpenRequest>, JsonRejection>,
) -> Response {
    if let Caller::Sitting(..) = caller {
        return refuse(
            StatusCode::FORBIDDEN,
            "only the server's link opens sittings",
        );
    }
    let request = match body(parsed) {
        Ok(request) => request,
        Err(response) => return response,
    };
    let (partners, start) = match (request.partners, request.resume) {
        (Some([a, b]), None) => {
            let names = partners::name(&a).and_then(|a| Ok([a, partners::name(&b)?]));
            match names {
                Ok([a, b]) if a.to_lowercase() == b.to_lowercase() => {
                    return refuse(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "the two names need to differ, so the screen can say whose turn it is",
                    );
                }
                Ok(names) => (names.clone(), Start::New(names)),
                Err(problem) => {
                    return refuse(StatusCode::UNPROCESSABLE_ENTITY, &problem.to_string());
                }
            }
        }
        (None, Some(id)) => {
            let data = app.places.data.clone();
            let wanted = id.clone();
            let found = tokio::task::spawn_blocking(move || {
                let data = DataDir::open(data.as_deref()).ok()?;
                let log = session::find(&data, Some(&wanted)).ok()?;
                log.unfinished()?;
                log.partners().cloned()
            })
            .await
            .ok()
            .flatten();
            match found {
                Some(partners) => (partners, Start::Resume(id)),
                None => {
                    return refuse(
                        StatusCode::NOT_FOUND,
                        "there is no paused session with that id",
                    );
                }
            }
        }
        _ => {
            return refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                "give either both partners' names or a session to resume",
            );
        }
    };
    match app.open(partners, start) {
        Ok(Some(sitting)) => Json(Opened {
            sitting: sitting.id.clone(),
            token: sitting.token(Role::Host),
        })
        .into_response(),
        Ok(None) => refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many sittings are open on this server",
        ),
        Err(_) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the sitting could not be started",
        ),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerRequest {
    turn: u64,
    text: String,
    /// Keep this answer out of the session notes (it is still saved).
    #[serde(default)]
    private: bool,
    #[serde(default)]
    since: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CommandRequest {
    turn: u64,
    command: String,
    #[serde(default)]
    since: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PickRequest {
    turn: u64,
    exercise: Option<String>,
    #[serde(default)]
    since: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TurnRequest {
    turn: u64,
    #[serde(default)]
    since: usize,
}

/// Hands `action` to the sitting, waits until it has been taken, and
/// answers with the sitting as the caller now sees it.
async fn act(caller: Caller, turn: u64, since: usize, action: Action) -> Response {
    let (sitting, role) = match caller {
        Caller::Sitting(sitting, role) => (sitting, role),
        Caller::Server => return server_is_not_a_sitting(),
    };
    let conversation = &sitting.conversation;
    let submitted =
        conversation.submit(turn, action.clone(), |waiting| may(role, &action, waiting));
    match submitted {
        Ok(turn) => {
            let _ = tokio::time::timeout(SETTLE_TIME, conversation.settled(turn)).await;
            json_response(view(&sitting, role, since).0)
        }
        Err(why) => refusal(why),
    }
}

async fn answer(
    axum::Extension(caller): axum::Extension<Caller>,
    parsed: Result<Json<AnswerRequest>, JsonRejection>,
) -> Response {
    match body(parsed) {
        Ok(request) => {
            act(
                caller,
                request.turn,
                request.since,
                match request.private {
                    true => Action::PrivateLine(request.text),
                    false => Action::Line(request.text),
                },
            )
            .await
        }
        Err(response) => response,
    }
}

async fn command(
    axum::Extension(caller): axum::Extension<Caller>,
    parsed: Result<Json<CommandRequest>, JsonRejection>,
) -> Response {
    let request = match body(parsed) {
        Ok(request) => request,
        Err(response) => return response,
    };
    let line = match request.command.as_str() {
        "break" => ":break",
        "back" => ":back",
        "skip" => ":skip",
        "where" => ":where",
        "repeat" => ":repeat",
        _ => {
            return refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                "the command is one of break, back, skip, where, repeat",
            );
        }
    };
    act(
        caller,
        request.turn,
        request.since,
        Action::Line(line.to_owned()),
    )
    .await
}

async fn pick(
    axum::Extension(caller): axum::Extension<Caller>,
    parsed: Result<Json<PickRequest>, JsonRejection>,
) -> Response {
    match body(parsed) {
        Ok(request) => {
            let action = Action::Pick(request.exercise);
            act(caller, request.turn, request.since, action).await
        }
        Err(response) => response,
    }
}

async fn resume(
    axum::Extension(caller): axum::Extension<Caller>,
    parsed: Result<Json<TurnRequest>, JsonRejection>,
) -> Response {
    match body(parsed) {
        Ok(request) => act(caller, request.turn, request.since, Action::Resume).await,
        Err(response) => response,
    }
}

async fn stop(
    axum::Extension(caller): axum::Extension<Caller>,
    parsed: Result<Json<TurnRequest>, JsonRejection>,
) -> Response {
    match body(parsed) {
        Ok(request) => act(caller, request.turn, request.since, Action::Stop).await,
        Err(response) => response,
    }
}

/// Live updates: the sitting as the caller sees it, sent again (new entries
/// only) after every change.
async fn events(
    State(app): State<App>,
    peer: Option<axum::Extension<Peer>>,
    headers: HeaderMap,
) -> Response {
    let peer = peer.map(|p| p.0);
    let (sitting, role) = match sitting_caller(&app, &headers, peer.as_ref()) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let changes = sitting.conversation.follow();
    let stream = futures_util::stream::unfold(
        (changes, sitting, 0usize, true),
        move |(mut changes, sitting, sent, first)| async move {
            if !first && changes.changed().await.is_err() {
                return None;
            }
            changes.mark_unchanged();
            let (json, count) = view(&sitting, role, sent);
            let event = Event::default().event("view").data(json);
            Some((Ok::<_, Infallible>(event), (changes, sitting, count, false)))
        },
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

#[derive(Serialize)]
struct Link {
    who: String,
    url: String,
    qr_svg: Option<String>,
}

/// The join links of a sitting (one per partner, one read-only), for the
/// one-screen page only.
async fn links(
    State(app): State<App>,
    peer: Option<axum::Extension<Peer>>,
    headers: HeaderMap,
) -> Response {
    let peer = peer.map(|p| p.0);
    let (sitting, role) = match sitting_caller(&app, &headers, peer.as_ref()) {
        Ok(found) => found,
        Err(response) => return response,
    };
    if role != Role::Host {
        return refuse(
            StatusCode::FORBIDDEN,
            "only the one-screen link shows join links",
        );
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".:-[]".contains(c))
        })
        .unwrap_or("127.0.0.1");
    let scheme = match headers.get("x-forwarded-proto").map(HeaderValue::as_bytes) {
        Some(b"https") => "https",
        _ => "http",
    };
    let partners = sitting.conversation.lock().partners.clone();
    let link = |who: String, role| {
        let url = format!("{scheme}://{host}/#k={}", sitting.token(role));
        let qr_svg = crate::web::qr::svg(&url);
        Link { who, url, qr_svg }
    };
    let [a, b] = partners;
    Json(vec![
        link(a, Role::Partner(0)),
        link(b, Role::Partner(1)),
        link("Therapist (read-only)".to_owned(), Role::Therapist),
    ])
    .into_response()
}

/// The session notes as a Markdown file, once the sitting has ended.
async fn notes_markdown(
    State(app): State<App>,
    peer: Option<axum::Extension<Peer>>,
    headers: HeaderMap,
) -> Response {
    let peer = peer.map(|p| p.0);
    let (sitting, _) = match sitting_caller(&app, &headers, peer.as_ref()) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let inner = sitting.conversation.lock();
    let (Some(notes), Some(session)) = (inner.notes.clone(), inner.session.clone()) else {
        return refuse(
            StatusCode::NOT_FOUND,
            "the notes are ready when the sitting ends",
        );
    };
    drop(inner);
    let disposition = format!("attachment; filename=\"mend-notes-{session}.md\"");
    let mut response = Response::new(Body::from(notes));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/markdown; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
