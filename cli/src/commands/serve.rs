//! `momentum serve`: a tiny static file server for the explorer page (web/dist), on loopback
//! only (127.0.0.1), at the port the user chooses.
//!
//! GET and HEAD of files under one directory, nothing else: no directory listings, no paths
//! outside the directory (`..`, encoded or not, absolute paths and symlinks that leave it are
//! refused with 403), the content types a page with WebAssembly needs (`application/wasm`, so
//! that `WebAssembly.instantiateStreaming` accepts the module).

use super::common::{CliError, CliResult};
use clap::Args;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Arguments of `momentum serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (0: any free port; the address is printed on stdout).
    #[arg(long, value_name = "PORT")]
    port: u16,
    /// Directory to serve (the built page: scripts/build_web.sh writes web/dist).
    #[arg(long, value_name = "DIR", default_value = "web/dist")]
    dir: PathBuf,
}

/// Longest request head read (request line and headers).
const MAX_HEAD: usize = 16 * 1024;

pub fn run(a: &ServeArgs) -> CliResult<()> {
    let root = root_dir(&a.dir)?;
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, a.port))
        .map_err(|e| CliError::Io(format!("cannot listen on 127.0.0.1:{}: {e}", a.port)))?;
    let port = listener
        .local_addr()
        .map_err(|e| CliError::Io(e.to_string()))?
        .port();
    println!(
        "serving {} at http://127.0.0.1:{port}/ (Ctrl-C stops)",
        root.display()
    );
    std::io::stdout()
        .flush()
        .map_err(|e| CliError::Io(e.to_string()))?;
    serve(listener, root, None);
    Ok(())
}

/// The served directory, canonical (symlinks resolved), or a usage error naming it.
pub fn root_dir(dir: &Path) -> CliResult<PathBuf> {
    let root = dir.canonicalize().map_err(|e| {
        CliError::Usage(format!(
            "--dir {}: {e} (build the page first: scripts/build_web.sh)",
            dir.display()
        ))
    })?;
    if !root.is_dir() {
        return Err(CliError::Usage(format!(
            "--dir {} is not a directory",
            dir.display()
        )));
    }
    Ok(root)
}

/// Answer connections on `listener` (one thread each), forever or for `limit` connections.
pub fn serve(listener: TcpListener, root: PathBuf, limit: Option<usize>) {
    let mut served = 0;
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let root = root.clone();
        std::thread::spawn(move || {
            // a client that stalls or goes away costs only its own thread
            let _ = handle(stream, &root);
        });
        served += 1;
        if limit.is_some_and(|l| served >= l) {
            return;
        }
    }
}

/// The content type of a file name, by extension.
pub fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("ico") => "image/x-icon",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Decode %XX escapes; `None` for a malformed escape or a result that is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// What a request target maps to.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file inside the root.
    File(PathBuf),
    /// Outside the root, or a path that tries to be (403).
    Forbidden,
    /// No such file (404).
    NotFound,
}

/// Map a request target ("/index.html?x=1") to a file under `root` (canonical): `..`, `\`,
/// NUL and anything that resolves outside the root are forbidden; a directory means its
/// index.html.
pub fn resolve(root: &Path, target: &str) -> Target {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let Some(path) = percent_decode(path) else {
        return Target::Forbidden;
    };
    if !path.starts_with('/') || path.contains('\\') || path.contains('\0') {
        return Target::Forbidden;
    }
    let mut file = root.to_path_buf();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Target::Forbidden,
            s if s.contains(':') => return Target::Forbidden,
            s => file.push(s),
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    match file.canonicalize() {
        // a symlink may point anywhere: the resolved path must still be inside the root
        Ok(real) if real.starts_with(root) && real.is_file() => Target::File(real),
        Ok(real) if real.starts_with(root) => Target::NotFound,
        Ok(_) => Target::Forbidden,
        Err(_) => Target::NotFound,
    }
}

fn respond(
    s: &mut TcpStream,
    status: &str,
    ctype: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    write!(
        s,
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if !head_only {
        s.write_all(body)?;
    }
    s.flush()
}

fn handle(stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    // drain the headers (bounded), so the client sees a clean close
    let mut total = line.len();
    loop {
        let mut h = String::new();
        let n = reader.read_line(&mut h)?;
        total += n;
        if n == 0 || h == "\r\n" || h == "\n" || total > MAX_HEAD {
            break;
        }
    }
    let mut s = stream;
    let text = |m: &str| format!("{m}\n").into_bytes();
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return respond(
            &mut s,
            "400 Bad Request",
            "text/plain; charset=utf-8",
            &text("bad request"),
            false,
        );
    };
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        return respond(
            &mut s,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            &text("only GET and HEAD"),
            false,
        );
    }
    match resolve(root, target) {
        Target::File(f) => match std::fs::read(&f) {
            Ok(body) => respond(&mut s, "200 OK", content_type(&f), &body, head_only),
            Err(_) => respond(
                &mut s,
                "404 Not Found",
                "text/plain; charset=utf-8",
                &text("not found"),
                head_only,
            ),
        },
        Target::NotFound => respond(
            &mut s,
            "404 Not Found",
            "text/plain; charset=utf-8",
            &text("not found"),
            head_only,
        ),
        Target::Forbidden => respond(
            &mut s,
            "403 Forbidden",
            "text/plain; charset=utf-8",
            &text("forbidden"),
            head_only,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn site() -> (tempdir::Dir, PathBuf) {
        let d = tempdir::Dir::new("serve");
        std::fs::create_dir_all(d.0.join("www/sub")).unwrap();
        std::fs::write(d.0.join("www/index.html"), "<!doctype html>hi").unwrap();
        std::fs::write(d.0.join("www/app.wasm"), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(d.0.join("www/app.js"), "export {}").unwrap();
        std::fs::write(d.0.join("www/sub/a b.css"), "body{}").unwrap();
        std::fs::write(d.0.join("secret.txt"), "outside").unwrap();
        let root = d.0.join("www").canonicalize().unwrap();
        (d, root)
    }

    mod tempdir {
        /// A directory under the system temp dir, removed on drop.
        pub struct Dir(pub std::path::PathBuf);
        impl Dir {
            pub fn new(tag: &str) -> Self {
                let p = std::env::temp_dir().join(format!(
                    "momentum-{tag}-{}-{:?}",
                    std::process::id(),
                    std::thread::current().id()
                ));
                let _ = std::fs::remove_dir_all(&p);
                std::fs::create_dir_all(&p).unwrap();
                Dir(p)
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    #[test]
    fn traversal_is_refused_and_files_resolve() {
        let (_d, root) = site();
        assert_eq!(resolve(&root, "/"), Target::File(root.join("index.html")));
        assert_eq!(
            resolve(&root, "/app.wasm?v=2#x"),
            Target::File(root.join("app.wasm"))
        );
        assert_eq!(
            resolve(&root, "/sub/a%20b.css"),
            Target::File(root.join("sub/a b.css"))
        );
        for bad in [
            "/../secret.txt",
            "/sub/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2fsecret.txt",
            "/..%5csecret.txt",
            "/sub/..",
            "..",
            "secret.txt",
            "/%zz",
            "/a%00b",
            "/C:/x",
        ] {
            assert_eq!(resolve(&root, bad), Target::Forbidden, "{bad}");
        }
        assert_eq!(resolve(&root, "/nope.js"), Target::NotFound);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("../secret.txt"), root.join("link.txt")).unwrap();
            assert_eq!(resolve(&root, "/link.txt"), Target::Forbidden);
        }
    }

    #[test]
    fn content_types() {
        for (f, t) in [
            ("a.wasm", "application/wasm"),
            ("a.JS", "text/javascript; charset=utf-8"),
            ("index.html", "text/html; charset=utf-8"),
            ("s.css", "text/css; charset=utf-8"),
            ("shot.png", "image/png"),
            ("blob", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(f)), t, "{f}");
        }
    }

    fn get(port: u16, req: &str) -> (String, Vec<u8>) {
        let mut s = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
        s.write_all(req.as_bytes()).unwrap();
        let mut buf = vec![];
        s.read_to_end(&mut buf).unwrap();
        let split = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        (
            String::from_utf8(buf[..split].to_vec()).unwrap(),
            buf[split + 4..].to_vec(),
        )
    }

    #[test]
    fn serves_over_loopback_with_types_and_refusals() {
        let (_d, root) = site();
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || serve(listener, root, Some(6)));
        let (h, body) = get(port, "GET /app.wasm HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(h.starts_with("HTTP/1.1 200 OK"), "{h}");
        assert!(h.contains("Content-Type: application/wasm"), "{h}");
        assert!(h.contains("Content-Length: 8"), "{h}");
        assert_eq!(body, b"\0asm\x01\0\0\0");
        let (h, body) = get(port, "GET / HTTP/1.1\r\n\r\n");
        assert!(h.contains("text/html"), "{h}");
        assert_eq!(body, b"<!doctype html>hi");
        let (h, body) = get(port, "GET /../secret.txt HTTP/1.1\r\n\r\n");
        assert!(h.starts_with("HTTP/1.1 403"), "{h}");
        assert!(!String::from_utf8_lossy(&body).contains("outside"));
        let (h, _) = get(port, "GET /missing.js HTTP/1.1\r\n\r\n");
        assert!(h.starts_with("HTTP/1.1 404"), "{h}");
        let (h, _) = get(port, "POST /index.html HTTP/1.1\r\n\r\n");
        assert!(h.starts_with("HTTP/1.1 405"), "{h}");
        let (h, body) = get(port, "HEAD /app.js HTTP/1.1\r\n\r\n");
        assert!(
            h.starts_with("HTTP/1.1 200") && h.contains("Content-Length: 9"),
            "{h}"
        );
        assert!(body.is_empty());
        server.join().unwrap();
    }

    #[test]
    fn a_missing_directory_is_a_usage_error() {
        let e = root_dir(Path::new("/definitely/not/here")).unwrap_err();
        assert!(matches!(e, CliError::Usage(m) if m.contains("/definitely/not/here")));
    }
}
