//! The native answers of the explorer's functions, for `web/tests/wasm_equals_native.mjs`: reads
//! a JSON array of calls `{"fn": "analyze", "q": {...}, "args": [...]}` on stdin and prints one
//! JSON array of results `{"ok": ...}` or `{"err": "message"}`.

use momentum_web::api;
use serde_json::{Value, json};
use std::io::Read;

fn call(c: &Value) -> Result<Value, String> {
    let q = c["q"].to_string();
    let a = |k: usize| c["args"][k].as_f64().unwrap_or(f64::NAN);
    let parse = |s: String| serde_json::from_str::<Value>(&s).map_err(|e| e.to_string());
    match c["fn"].as_str().unwrap_or("") {
        "analyze" => parse(api::analyze(&q)?),
        "tunings" => parse(api::tunings(&q)?),
        "trajectory" => parse(api::trajectory(&q)?),
        "express" => parse(api::express(&q, a(0), a(1))?),
        "certify" => parse(api::certify(&q)?),
        "certified_map" => parse(api::certified_map(&q, a(0), a(1), a(2), a(3) as usize)?),
        "overlays" => parse(api::overlays(&q, a(0), a(1), a(2), a(3) as usize)?),
        "zoo_map" => parse(api::zoo_map(&q)?),
        "certify_setting" => parse(api::certify_setting(&q)?),
        "map" => Ok(json!(api::map(
            &q,
            a(0),
            a(1),
            a(2),
            a(3) as usize,
            a(4) as usize
        )?)),
        other => Err(format!("unknown function {other}")),
    }
}

fn main() {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .expect("stdin is readable");
    let calls: Vec<Value> = serde_json::from_str(&input).expect("a JSON array of calls");
    let out: Vec<Value> = calls
        .iter()
        .map(|c| match call(c) {
            Ok(v) => json!({ "ok": v }),
            Err(e) => json!({ "err": e }),
        })
        .collect();
    println!("{}", Value::Array(out));
}
