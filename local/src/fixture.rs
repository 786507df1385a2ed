//! Functions that exist only for the platform's own tests (`tests/fixtures/platform.yaml`):
//! steps of a test saga that succeed, fail a few times first, or always fail, so that the
//! emulator's Retry, Catch and compensation paths are proven with real invokes. They are
//! hosted only when that fixture template is loaded.

use lambda_runtime::Diagnostic;
use serde_json::{json, Value};
use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
};
use vitrina_shared::runtime::{error, json, Function, Trigger};

fn task(handler: &'static str, invoke: vitrina_shared::runtime::Invoke) -> Function {
    Function {
        handler,
        trigger: Trigger::Invoke,
        build: Arc::new(move |_| Ok(invoke.clone())),
    }
}

pub fn functions() -> Vec<Function> {
    let attempts: Arc<Mutex<HashMap<String, u32>>> = Arc::default();
    let finished: Arc<Mutex<HashSet<String>>> = Arc::default();
    vec![
        // `{"runId", "sleepMs"}`: sleeps, then notes the run as finished — unless it was stopped
        // at its timeout first. `{"finished": runId}` answers whether that run ever finished.
        task(
            "overrun",
            json(move |input: Value, _| {
                let finished = finished.clone();
                async move {
                    if let Some(run) = input["finished"].as_str() {
                        let done = finished.lock().map_err(|e| error("Poisoned", e))?;
                        return Ok(json!({"finished": done.contains(run)}));
                    }
                    let run = input["runId"].as_str().unwrap_or_default().to_string();
                    let sleep = input["sleepMs"].as_u64().unwrap_or(0);
                    tokio::time::sleep(std::time::Duration::from_millis(sleep)).await;
                    finished
                        .lock()
                        .map_err(|e| error("Poisoned", e))?
                        .insert(run);
                    Ok::<_, Diagnostic>(json!({"finished": true}))
                }
            }),
        ),
        // Appends its name to the input's `trail`.
        task(
            "step",
            json(|mut input: Value, _| async move {
                let name = input["step"].as_str().unwrap_or("step").to_string();
                push_trail(&mut input, &name);
                Ok::<_, Diagnostic>(input)
            }),
        ),
        // Fails with `Transient` until it has been called `failTimes` times for this `runId`.
        task(
            "flaky",
            json(move |mut input: Value, _| {
                let attempts = attempts.clone();
                async move {
                    let run = input["runId"].as_str().unwrap_or_default().to_string();
                    let fail_times = input["failTimes"].as_u64().unwrap_or(0) as u32;
                    let n = {
                        let mut a = attempts.lock().map_err(|e| error("Poisoned", e))?;
                        let n = a.entry(run).or_insert(0);
                        *n += 1;
                        *n
                    };
                    if n <= fail_times {
                        return Err(error("Transient", format!("attempt {n} fails on purpose")));
                    }
                    push_trail(&mut input, &format!("flaky-ok-after-{n}"));
                    Ok(input)
                }
            }),
        ),
        // Always fails with a business error that the saga catches.
        task(
            "reject",
            json(|_input: Value, _| async move {
                Err::<Value, _>(error("OutOfStock", "nothing left on purpose"))
            }),
        ),
        task(
            "compensate",
            json(|mut input: Value, _| async move {
                let step = input["step"].as_str().unwrap_or("compensation").to_string();
                push_trail(&mut input, &format!("compensated:{step}"));
                Ok::<_, Diagnostic>(input)
            }),
        ),
    ]
}

fn push_trail(input: &mut Value, entry: &str) {
    if !input["trail"].is_array() {
        input["trail"] = json!([]);
    }
    if let Some(t) = input["trail"].as_array_mut() {
        t.push(json!(entry));
    }
}
