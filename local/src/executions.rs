//! `/_local/executions`: what an operator sees of the state machines in the Step Functions
//! console, read from the local Step Functions API — every execution with its status, and for
//! one (named by the order id for the order saga) each step with its input, output and the
//! errors of its attempts. Only the local platform serves this; in AWS it is the console.

use aws_sdk_sfn::{types::HistoryEvent, Client};
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Json, Response},
    routing::get,
    Router,
};
use serde::{Deserialize, Serialize};

pub fn router(sfn: Client) -> Router {
    Router::new()
        .route("/", get(list))
        .route("/{name}", get(one))
        .with_state(sfn)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Execution {
    state_machine: String,
    name: String,
    arn: String,
    status: String,
    started: String,
    stopped: Option<String>,
    error: Option<String>,
    cause: Option<String>,
    steps: Vec<Step>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Step {
    state: String,
    entered: String,
    input: Option<String>,
    output: Option<String>,
    /// Each failed attempt (retried or caught): `errorType: cause`.
    errors: Vec<String>,
}

#[derive(Deserialize)]
struct Format {
    format: Option<String>,
}

fn failed(e: impl std::fmt::Display) -> Response {
    (StatusCode::BAD_GATEWAY, format!("Step Functions: {e}")).into_response()
}

fn time(t: &aws_sdk_sfn::primitives::DateTime) -> String {
    t.fmt(aws_sdk_sfn::primitives::DateTimeFormat::DateTime)
        .unwrap_or_default()
}

/// Every execution of every state machine, newest first.
async fn executions(sfn: &Client) -> Result<Vec<Execution>, String> {
    let machines = sfn
        .list_state_machines()
        .send()
        .await
        .map_err(|e| aws_sdk_sfn::error::DisplayErrorContext(e).to_string())?;
    let mut out = Vec::new();
    for m in machines.state_machines {
        let list = sfn
            .list_executions()
            .state_machine_arn(&m.state_machine_arn)
            .max_results(100)
            .send()
            .await
            .map_err(|e| aws_sdk_sfn::error::DisplayErrorContext(e).to_string())?;
        for e in list.executions {
            out.push(Execution {
                state_machine: m.name.clone(),
                name: e.name.clone(),
                arn: e.execution_arn.clone(),
                status: e.status.as_str().to_string(),
                started: time(&e.start_date),
                stopped: e.stop_date.as_ref().map(time),
                error: None,
                cause: None,
                steps: Vec::new(),
            });
        }
    }
    out.sort_by(|a, b| b.started.cmp(&a.started));
    Ok(out)
}

/// The steps of an execution from its history: entered with an input, left with an output,
/// and the failures in between.
fn steps(events: &[HistoryEvent]) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    for e in events {
        if let Some(d) = e.state_entered_event_details() {
            steps.push(Step {
                state: d.name().to_string(),
                entered: time(e.timestamp()),
                input: d.input().map(str::to_string),
                output: None,
                errors: Vec::new(),
            });
        } else if let Some(d) = e.state_exited_event_details() {
            if let Some(s) = steps.iter_mut().rev().find(|s| s.state == d.name()) {
                s.output = d.output().map(str::to_string);
            }
        } else if let Some(s) = steps.last_mut() {
            let failure = e
                .lambda_function_failed_event_details()
                .map(|d| (d.error(), d.cause()))
                .or_else(|| {
                    e.task_failed_event_details()
                        .map(|d| (d.error(), d.cause()))
                })
                .or_else(|| {
                    e.lambda_function_timed_out_event_details()
                        .map(|d| (d.error(), d.cause()))
                });
            if let Some((error, cause)) = failure {
                s.errors.push(format!(
                    "{}: {}",
                    error.unwrap_or("error"),
                    cause.unwrap_or_default()
                ));
            }
        }
    }
    steps
}

async fn list(State(sfn): State<Client>, Query(f): Query<Format>) -> Response {
    let all = match executions(&sfn).await {
        Ok(all) => all,
        Err(e) => return failed(e),
    };
    if f.format.as_deref() == Some("json") {
        return Json(all).into_response();
    }
    let mut html = page_head("Исполнения (локально)");
    html.push_str(
        "<h1>Исполнения state machines</h1><p>Что оператор видит в консоли Step Functions. \
         Исполнение саги заказа названо номером заказа.</p><table><tr><th>State machine</th>\
         <th>Имя</th><th>Статус</th><th>Начато</th><th>Закончено</th></tr>",
    );
    for e in &all {
        html.push_str(&format!(
            "<tr><td>{}</td><td><a href=\"/_local/executions/{}\">{}</a></td><td class=\"{}\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&e.state_machine),
            escape(&e.name),
            escape(&e.name),
            escape(&e.status),
            escape(&e.status),
            escape(&e.started),
            escape(e.stopped.as_deref().unwrap_or("—")),
        ));
    }
    html.push_str("</table></body></html>");
    Html(html).into_response()
}

/// The executions named `name` (one per state machine at most), with their steps.
async fn one(
    State(sfn): State<Client>,
    Path(name): Path<String>,
    Query(f): Query<Format>,
) -> Response {
    let all = match executions(&sfn).await {
        Ok(all) => all,
        Err(e) => return failed(e),
    };
    let mut found = Vec::new();
    for mut e in all.into_iter().filter(|e| e.name == name) {
        let d = match sfn.describe_execution().execution_arn(&e.arn).send().await {
            Ok(d) => d,
            Err(err) => return failed(aws_sdk_sfn::error::DisplayErrorContext(err)),
        };
        e.error = d.error().map(str::to_string);
        e.cause = d.cause().map(str::to_string);
        let history = match sfn
            .get_execution_history()
            .execution_arn(&e.arn)
            .max_results(1000)
            .send()
            .await
        {
            Ok(h) => h,
            Err(err) => return failed(aws_sdk_sfn::error::DisplayErrorContext(err)),
        };
        e.steps = steps(&history.events);
        found.push(e);
    }
    if found.is_empty() {
        return (StatusCode::NOT_FOUND, format!("no execution named {name}")).into_response();
    }
    if f.format.as_deref() == Some("json") {
        return Json(found).into_response();
    }
    let mut html = page_head(&format!("Исполнение {name}"));
    for e in &found {
        html.push_str(&format!(
            "<h1>{} — {}</h1><p>Статус: <b class=\"{}\">{}</b>{}</p><table><tr><th>Шаг</th><th>Начат</th>\
             <th>Вход</th><th>Выход</th><th>Ошибки попыток</th></tr>",
            escape(&e.state_machine),
            escape(&e.name),
            escape(&e.status),
            escape(&e.status),
            e.error
                .as_ref()
                .map(|err| format!(
                    " · {} — {}",
                    escape(err),
                    escape(e.cause.as_deref().unwrap_or_default())
                ))
                .unwrap_or_default(),
        ));
        for s in &e.steps {
            html.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td><pre>{}</pre></td><td><pre>{}</pre></td><td>{}</td></tr>",
                escape(&s.state),
                escape(&s.entered),
                escape(&pretty(s.input.as_deref())),
                escape(&pretty(s.output.as_deref())),
                s.errors.iter().map(|x| escape(x)).collect::<Vec<_>>().join("<br>"),
            ));
        }
        html.push_str("</table>");
    }
    html.push_str("<p><a href=\"/_local/executions\">Все исполнения</a></p></body></html>");
    Html(html).into_response()
}

fn pretty(json: Option<&str>) -> String {
    json.and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| json.unwrap_or("").to_string())
}

fn page_head(title: &str) -> String {
    format!(
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>{}</title><style>\
         body{{font-family:sans-serif;margin:2rem}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;\
         padding:.3rem .5rem;vertical-align:top;text-align:left}}pre{{margin:0;max-width:40rem;overflow:auto;\
         font-size:.8rem}}.FAILED{{color:#b00}}.SUCCEEDED{{color:#070}}</style></head><body>",
        escape(title)
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
