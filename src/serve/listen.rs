//! The accept loop of `serve`: one HTTP/1 connection per accepted socket, each
//! with a deadline for its request headers, and a graceful stop. (axum's own
//! `serve` sets no timer, so a client that never finishes its headers would hold
//! its connection, and a slow trickle of them every connection the system allows.)

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// How long a client may take to send a request's line and headers, from the
/// moment the server waits for them (so also how long a kept-alive connection may
/// sit idle). Ample for any browser, even a slow phone.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Overrides [`HEADER_TIMEOUT`], in seconds (`0.5` allowed): for tests, which should
/// not wait ten seconds to see a slow client dropped.
pub const HEADER_TIMEOUT_VAR: &str = "STANDPOINT_HEADER_TIMEOUT";

/// The header deadline: [`HEADER_TIMEOUT`] unless [`HEADER_TIMEOUT_VAR`] names a
/// positive number of seconds.
pub fn header_timeout() -> Duration {
    header_timeout_from(std::env::var(HEADER_TIMEOUT_VAR).ok().as_deref())
}

fn header_timeout_from(value: Option<&str>) -> Duration {
    value
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0 && *s < 86_400.0)
        .map_or(HEADER_TIMEOUT, Duration::from_secs_f64)
}

/// Serves `router` on `listener` until `stop` completes, then waits for the open
/// connections to finish (idle ones close at once).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    header_timeout: Duration,
    stop: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    pause_after(&e).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout);
        let service = TowerToHyperService::new(router.clone());
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        // A failed connection (a timeout, a reset) concerns that client only.
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// After an accept error: none for errors of one connection; a second for the
/// others (too many open files), which would otherwise repeat in a busy loop.
async fn pause_after(e: &std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if !matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_timeout_is_ten_seconds_unless_overridden() {
        assert_eq!(header_timeout_from(None), Duration::from_secs(10));
        assert_eq!(header_timeout_from(Some("0.5")), Duration::from_millis(500));
        assert_eq!(header_timeout_from(Some(" 2 ")), Duration::from_secs(2));
        for ignored in ["", "0", "-1", "NaN", "inf", "1e9", "soon"] {
            assert_eq!(
                header_timeout_from(Some(ignored)),
                HEADER_TIMEOUT,
                "{ignored}"
            );
        }
    }
}
