//! Requesting one URL: `HEAD` (no body), `GET` when the server does not allow
//! `HEAD` (405, 501), redirects followed by hand (to know whether one was permanent
//! and where they end), and a timeout on every request.
//!
//! The client is ureq 3: blocking, so a fixed pool of threads is the whole runtime
//! (no second async runtime beside `serve`'s tokio, which this never runs in); small
//! (a dozen crates); TLS by rustls with the Mozilla roots compiled in, so the check
//! gives the same answer on every machine and needs no system OpenSSL.

use std::time::Duration;

use ureq::Agent;

use super::cache::Entry;

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 10;

/// The User-Agent sent: it names the tool, so that site owners know who asks.
pub const USER_AGENT: &str = concat!(
    "standpoint/",
    env!("CARGO_PKG_VERSION"),
    " (static site generator; link checker)"
);

/// The one client of a check, with `timeout` on every request.
pub fn agent(timeout: Duration) -> Agent {
    Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(USER_AGENT)
        .build()
        .into()
}

/// What requesting `url` found, as the cache keeps it, checked at `now`.
pub fn check(agent: &Agent, url: &str, timeout: Duration, now: u64) -> Entry {
    let mut entry = Entry {
        status: None,
        checked: now,
        final_url: None,
        permanent: false,
        error: None,
    };
    let mut current = url.to_string();
    for _ in 0..=MAX_REDIRECTS {
        let (status, location) = match request(agent, &current) {
            Ok(answer) => answer,
            Err(e) => {
                entry.error = Some(describe(&e, timeout));
                return entry;
            }
        };
        entry.status = Some(status);
        if !(300..400).contains(&status) || status == 304 {
            return entry;
        }
        let Some(location) = location else {
            entry.error = Some(format!("the server answered {status} without a `Location`"));
            return entry;
        };
        entry.permanent |= matches!(status, 301 | 308);
        current = join(&current, &location);
        entry.final_url = Some(current.clone());
    }
    entry.error = Some(format!("more than {MAX_REDIRECTS} redirects"));
    entry
}

/// The status of one request of `url` and its `Location` header: `HEAD`, then
/// `GET` if the server refuses `HEAD`. The body of a `GET` is never read.
fn request(agent: &Agent, url: &str) -> Result<(u16, Option<String>), ureq::Error> {
    let answer = |response: ureq::http::Response<ureq::Body>| {
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        (response.status().as_u16(), location)
    };
    let head = answer(agent.head(url).call()?);
    if matches!(head.0, 405 | 501) {
        return Ok(answer(agent.get(url).call()?));
    }
    Ok(head)
}

/// The error as the warning says it.
fn describe(e: &ureq::Error, timeout: Duration) -> String {
    match e {
        ureq::Error::Timeout(_) => format!("no answer within {} s", timeout.as_secs_f64()),
        ureq::Error::HostNotFound => "the host was not found (DNS)".to_string(),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "the connection was refused".to_string()
        }
        ureq::Error::ConnectionFailed => "the connection failed".to_string(),
        ureq::Error::Tls(why) => format!("TLS failed: {why}"),
        ureq::Error::Rustls(why) => format!("TLS failed: {why}"),
        ureq::Error::Http(_) | ureq::Error::BadUri(_) => "not a valid URL".to_string(),
        other => other.to_string(),
    }
}

/// `location` read against `base`, the URL that answered with it.
pub fn join(base: &str, location: &str) -> String {
    let location = location.trim();
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let has_scheme = location.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if has_scheme {
        return location.to_string();
    }
    if let Some(rest) = location.strip_prefix("//") {
        return format!("{}{rest}", &base[..scheme_end]);
    }
    let authority_end = base[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(base.len(), |i| scheme_end + i);
    let origin = &base[..authority_end];
    if location.starts_with('/') {
        return format!("{origin}{location}");
    }
    let without_fragment = base.split('#').next().unwrap_or(base);
    if location.starts_with('?') {
        let path = without_fragment.split('?').next().unwrap_or(base);
        return format!("{path}{location}");
    }
    let path = without_fragment.split('?').next().unwrap_or(base);
    let dir = match path[authority_end..].rfind('/') {
        Some(i) => &path[..authority_end + i + 1],
        None => return format!("{origin}/{location}"),
    };
    format!("{dir}{location}")
}

/// The host a URL's requests go to, as the per-host limit counts them: scheme,
/// host and port, lowercase.
pub fn host(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        authority.to_ascii_lowercase()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_read_against_the_url_that_sent_them() {
        let base = "https://a.org/dir/page?q=1#top";
        assert_eq!(join(base, "https://b.org/x"), "https://b.org/x");
        assert_eq!(join(base, "//c.org/y"), "https://c.org/y");
        assert_eq!(join(base, "/root"), "https://a.org/root");
        assert_eq!(join(base, "other"), "https://a.org/dir/other");
        assert_eq!(join(base, "?p=2"), "https://a.org/dir/page?p=2");
        assert_eq!(join("https://a.org", "x"), "https://a.org/x");
        assert_eq!(join("http://a.org:8080/x/y", "/z"), "http://a.org:8080/z");
    }

    #[test]
    fn hosts_are_scheme_host_and_port() {
        assert_eq!(host("https://Example.org/a?b"), "https://example.org");
        assert_eq!(
            host("http://user@127.0.0.1:8080/x"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(host("https://a.org"), "https://a.org");
        assert_ne!(host("http://a.org/"), host("https://a.org/"));
    }
}
