//! The listener: one URL printed with the server's token, connections
//! served over HTTP/1.1 with time limits for slow clients, and on Ctrl-C
//! every sitting saved before the process ends.

use crate::limits::SERVE_HEADER_SECONDS;
use crate::web::access::Registry;
use crate::web::routes::{Peer, router};
use crate::web::serve_error::ServeError;
use crate::web::sitting::Places;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;

const HEADER_TIME: Duration = Duration::from_secs(SERVE_HEADER_SECONDS);

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: IpAddr,
    pub port: u16,
    pub places: Places,
}

/// What the server says when it starts; `url` carries the server's token.
pub fn banner(url: &str, listen: IpAddr) -> String {
    let mut text = format!(
        "mend is ready in your browser. Open this link (it is the key to your sittings: keep it to yourselves):\n\n    {url}\n\nPress Ctrl-C here to stop; everything answered is saved.\n"
    );
    if !listen.is_loopback() {
        text.push_str(&format!(
            "\nwarning: listening on {listen}, not only on this computer: other devices on the network can reach this server, and what is typed travels unencrypted unless you put it behind TLS (docs/serve.md shows how).\n"
        ));
    }
    text
}

/// Serves until Ctrl-C; prints the URL to `out` once listening.
pub fn serve(config: Config, out: &mut dyn Write) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::io("cannot start the server's runtime"))?;
    let registry = Arc::new(
        Registry::new(config.places.clone())
            .map_err(ServeError::io("cannot start the exercise library's thread"))?,
    );
    let app = router(registry.clone());
    let result = runtime.block_on(async {
        let listener = TcpListener::bind((config.listen, config.port))
            .await
            .map_err(|source| ServeError::Listen {
                listen: config.listen,
                port: config.port,
                source,
            })?;
        let address = listener
            .local_addr()
            .map_err(ServeError::io("cannot read the address listened on"))?;
        let host = match address {
            SocketAddr::V6(a) => format!("[{}]:{}", a.ip(), a.port()),
            SocketAddr::V4(a) => a.to_string(),
        };
        let url = format!("http://{host}/#k={}", registry.server_token());
        write!(out, "{}", banner(&url, config.listen))
            .and_then(|()| out.flush())
            .map_err(ServeError::io("cannot print the server's link"))?;
        tokio::select! {
            result = accept(listener, app) => result,
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    });
    // Every sitting saves (a break) and ends; their threads are joined.
    registry.shut_down();
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}

async fn accept(listener: TcpListener, app: axum::Router) -> Result<(), ServeError> {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of file descriptors and the like: wait, then go on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let service = app.clone().map_request(
            move |mut request: axum::extract::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(axum::Extension(Peer(peer)));
                request
            },
        );
        tokio::spawn(async move {
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIME)
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
                .await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::banner;

    #[test]
    fn only_a_non_loopback_address_brings_the_warning() {
        let url = "http://127.0.0.1:8750/#k=mend.0";
        assert!(!banner(url, "127.0.0.1".parse().unwrap()).contains("warning"));
        assert!(!banner(url, "::1".parse().unwrap()).contains("warning"));
        let open = banner(url, "0.0.0.0".parse().unwrap());
        assert!(open.contains("warning: listening on 0.0.0.0"), "{open}");
        assert!(
            open.contains("unencrypted unless you put it behind TLS"),
            "{open}"
        );
        assert!(banner(url, "192.168.1.20".parse().unwrap()).contains("warning"));
    }
}
