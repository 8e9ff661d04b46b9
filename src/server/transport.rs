//! The server's standard input and output. lsp-server's own stdio reader ends the connection
//! on the first message that is not JSON; this one answers it with a parse error (-32700) and
//! reads on, so one bad message from a client or an extension does not kill the server.

use lsp_server::{Connection, Message};
use std::io::{BufRead, Read, Write};
use std::thread::JoinHandle;

/// A body larger than this is skipped, not held in memory.
const MAX_BODY: usize = 64 << 20;

/// JSON-RPC's "Parse error" and "Invalid Request" codes.
const PARSE_ERROR: i32 = -32700;
const INVALID_REQUEST: i32 = -32600;

/// A connection over standard input and output, and the thread writing the server's messages:
/// join it after dropping the connection, so every message is written.
pub fn stdio() -> (Connection, JoinHandle<()>) {
    let (server, client) = Connection::memory();
    let incoming = client.sender;
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        read_messages(
            &mut stdin.lock(),
            |message| incoming.send(message).is_ok(),
            |error| {
                let mut stdout = std::io::stdout().lock();
                let _ = stdout.write_all(&error).and_then(|()| stdout.flush());
            },
        );
    });
    let outgoing = client.receiver;
    let writer = std::thread::spawn(move || {
        for message in outgoing {
            if message.write(&mut std::io::stdout().lock()).is_err() {
                return;
            }
        }
    });
    (server, writer)
}

/// Reads framed messages from `input` until it ends, the receiver is gone or an `exit`
/// notification has been passed on; each malformed one is answered through `answer` (a whole
/// framed error response) and skipped.
pub fn read_messages(
    input: &mut impl BufRead,
    mut deliver: impl FnMut(Message) -> bool,
    mut answer: impl FnMut(Vec<u8>),
) {
    loop {
        let body = match read_frame(input) {
            Ok(Some(body)) => body,
            Ok(None) => return,
            Err(Malformed(why)) => {
                answer(error_frame(PARSE_ERROR, &why));
                continue;
            }
        };
        let message = match serde_json::from_slice::<serde_json::Value>(&body) {
            Err(error) => Err((PARSE_ERROR, format!("the message is not JSON: {error}"))),
            Ok(value) => serde_json::from_value::<Message>(value)
                .map_err(|e| (INVALID_REQUEST, format!("not a JSON-RPC message: {e}"))),
        };
        match message {
            Ok(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if !deliver(message) || exit {
                    return;
                }
            }
            Err((code, why)) => answer(error_frame(code, &why)),
        }
    }
}

struct Malformed(String);

/// The next message's body: `None` at the end of the input.
fn read_frame(input: &mut impl BufRead) -> Result<Option<Vec<u8>>, Malformed> {
    let mut length = None;
    let mut seen_header = false;
    loop {
        let mut line = Vec::new();
        match input.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return Ok(None),
            Ok(_) => {}
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if seen_header {
                break;
            }
            continue;
        }
        seen_header = true;
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("Content-Length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let Some(length) = length else {
        return Err(Malformed("a message without a valid Content-Length".into()));
    };
    if length > MAX_BODY {
        let _ = std::io::copy(&mut input.take(length as u64), &mut std::io::sink());
        return Err(Malformed(format!(
            "a message of {length} bytes is too large"
        )));
    }
    let mut body = vec![0; length];
    match input.read_exact(&mut body) {
        Ok(()) => Ok(Some(body)),
        Err(_) => Ok(None),
    }
}

/// A framed error response with a null id: the request it answers could not be read.
fn error_frame(code: i32, message: &str) -> Vec<u8> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": code, "message": message },
    })
    .to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn malformed_messages_are_answered_and_skipped() {
        let input = [
            frame("{not json"),
            frame("{\"jsonrpc\": \"2.0\", \"x\": 1}"),
            "X-Nothing: 1\r\n\r\n".to_string(),
            frame("{\"jsonrpc\": \"2.0\", \"method\": \"exit\"}"),
            frame("{\"jsonrpc\": \"2.0\", \"method\": \"after-exit\"}"),
        ]
        .concat();
        let (mut delivered, mut answers) = (Vec::new(), Vec::new());
        read_messages(
            &mut input.as_bytes(),
            |m| {
                delivered.push(m);
                true
            },
            |a| answers.push(String::from_utf8(a).unwrap()),
        );
        assert_eq!(delivered.len(), 1);
        assert!(matches!(&delivered[0], Message::Notification(n) if n.method == "exit"));
        assert_eq!(answers.len(), 3);
        assert!(answers[0].contains("\"code\":-32700"), "{}", answers[0]);
        assert!(answers[1].contains("\"code\":-32600"), "{}", answers[1]);
        assert!(answers[2].contains("Content-Length"), "{}", answers[2]);
        let body = answers[0].split("\r\n\r\n").nth(1).unwrap();
        assert_eq!(
            answers[0]
                .strip_prefix("Content-Length: ")
                .unwrap()
                .split("\r\n")
                .next(),
            Some(body.len().to_string().as_str())
        );
    }
}
