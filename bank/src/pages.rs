//! The payer's side: the hosted card page (number, expiry, CVC), the 3-D Secure page, and the
//! SBP page that plays the payer's banking app (the QR code and two buttons). The shop never
//! sees a card number: the payer types it here, and comes back to the shop's `return_url`.

use crate::{
    bank::{now, Bank},
    cards::{self, Outcome},
    model::Status,
    sbp,
};
use axum::{
    extract::{Path, State},
    response::{Html, IntoResponse, Redirect, Response},
    Form,
};
use chrono::Datelike;
use serde::Deserialize;
use std::sync::Arc;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        r#"<!doctype html><html lang="ru"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — Банк-песочница</title>
<style>body{{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}}
label{{display:block;margin:.8rem 0 .2rem}}input{{font-size:1.1rem;padding:.4rem;width:100%;box-sizing:border-box}}
button{{font-size:1.1rem;padding:.5rem 1rem;margin:1rem .5rem 0 0}}.error{{color:#b00020}}.sum{{font-size:1.4rem}}</style>
</head><body><p><small>Банк-песочница vitrina · тестовый режим</small></p><h1>{title}</h1>{body}</body></html>"#
    ))
}

fn back_link(return_url: Option<&str>) -> String {
    match return_url {
        Some(url) => format!(
            r#"<p><a id="return" href="{}">Вернуться в магазин</a></p>"#,
            escape(url)
        ),
        None => String::new(),
    }
}

/// The payment's state for a page: (status, amount text, return url, waiting for 3-DS).
async fn view(bank: &Bank, id: &str) -> Option<(Status, String, Option<String>, bool)> {
    let books = bank.books.lock().await;
    books.payments.get(id).map(|e| {
        (
            e.payment.status,
            format!("{} ₽", e.payment.amount.value),
            e.return_url.clone(),
            e.awaiting_3ds.is_some(),
        )
    })
}

fn unknown() -> Response {
    (
        axum::http::StatusCode::NOT_FOUND,
        page("Платёж не найден", "<p>Такого платежа нет.</p>"),
    )
        .into_response()
}

fn finished(status: Status, return_url: Option<&str>) -> Response {
    let text = match status {
        Status::Canceled => "Платёж отклонён.",
        _ => "Платёж уже обработан.",
    };
    page(
        "Оплата",
        &format!("<p id=\"state\">{text}</p>{}", back_link(return_url)),
    )
    .into_response()
}

fn card_form(id: &str, sum: &str, return_url: Option<&str>, error: Option<&str>) -> Response {
    let error = error
        .map(|e| format!(r#"<p class="error" role="alert">{}</p>"#, escape(e)))
        .unwrap_or_default();
    page(
        "Оплата картой",
        &format!(
            r#"<p class="sum">К оплате: {sum}</p>{error}
<form method="post" action="/checkout/{id}">
<label for="number">Номер карты</label><input id="number" name="number" inputmode="numeric" autocomplete="cc-number" required>
<label for="expiry">Срок действия (ММ/ГГ)</label><input id="expiry" name="expiry" placeholder="12/30" autocomplete="cc-exp" required>
<label for="cvc">CVC</label><input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" required>
<button type="submit">Заплатить</button></form>{}"#,
            back_link(return_url)
        ),
    )
    .into_response()
}

pub async fn card_page(State(bank): State<Arc<Bank>>, Path(id): Path<String>) -> Response {
    match view(&bank, &id).await {
        None => unknown(),
        Some((_, _, _, true)) => Redirect::to(&format!("/checkout/{id}/3ds")).into_response(),
        Some((Status::Pending, sum, ret, false)) => card_form(&id, &sum, ret.as_deref(), None),
        Some((status, _, ret, _)) => finished(status, ret.as_deref()),
    }
}

#[derive(Deserialize)]
pub struct CardEntry {
    #[serde(default)]
    number: String,
    #[serde(default)]
    expiry: String,
    #[serde(default)]
    cvc: String,
}

fn to_shop(return_url: Option<String>) -> Response {
    match return_url {
        Some(url) => Redirect::to(&url).into_response(),
        None => page("Оплата", "<p id=\"state\">Готово.</p>").into_response(),
    }
}

pub async fn card_submit(
    State(bank): State<Arc<Bank>>,
    Path(id): Path<String>,
    Form(entry): Form<CardEntry>,
) -> Response {
    let Some((status, sum, ret, awaiting)) = view(&bank, &id).await else {
        return unknown();
    };
    if status != Status::Pending || awaiting {
        return finished(status, ret.as_deref());
    }
    let today = now();
    let (card, outcome) = match cards::read(
        &entry.number,
        &entry.expiry,
        &entry.cvc,
        (today.year(), today.month()),
    ) {
        Ok(read) => read,
        Err(e) => return card_form(&id, &sum, ret.as_deref(), Some(&e.to_string())),
    };
    let mut books = bank.books.lock().await;
    match outcome {
        Outcome::ThreeDSecure { fails } => {
            if let Some(e) = books.payments.get_mut(&id) {
                e.awaiting_3ds = Some((card, fails));
            }
            drop(books);
            Redirect::to(&format!("/checkout/{id}/3ds")).into_response()
        }
        Outcome::Approve => {
            bank.settle_card(&mut books, &id, card, Ok(()));
            drop(books);
            to_shop(ret)
        }
        Outcome::Decline(reason) => {
            bank.settle_card(&mut books, &id, card, Err(reason));
            drop(books);
            to_shop(ret)
        }
    }
}

pub async fn three_ds_page(State(bank): State<Arc<Bank>>, Path(id): Path<String>) -> Response {
    match view(&bank, &id).await {
        None => unknown(),
        Some((Status::Pending, sum, _, true)) => page(
            "Подтверждение платежа",
            &format!(
                r#"<p>Банк отправил код подтверждения на ваш телефон. Сумма: {sum}.</p>
<p><small>В песочнице подходит любой код из шести цифр.</small></p>
<form method="post" action="/checkout/{id}/3ds">
<label for="code">Код из SMS</label><input id="code" name="code" inputmode="numeric" required>
<button type="submit">Подтвердить</button></form>"#
            ),
        )
        .into_response(),
        Some((Status::Pending, _, _, false)) => {
            Redirect::to(&format!("/checkout/{id}")).into_response()
        }
        Some((status, _, ret, _)) => finished(status, ret.as_deref()),
    }
}

#[derive(Deserialize)]
pub struct Code {
    #[serde(default)]
    code: String,
}

pub async fn three_ds_submit(
    State(bank): State<Arc<Bank>>,
    Path(id): Path<String>,
    Form(form): Form<Code>,
) -> Response {
    let mut books = bank.books.lock().await;
    let Some(entry) = books.payments.get(&id) else {
        return unknown();
    };
    let ret = entry.return_url.clone();
    let Some((card, fails)) = entry.awaiting_3ds.clone() else {
        let status = entry.payment.status;
        drop(books);
        return finished(status, ret.as_deref());
    };
    let code_ok = form.code.len() == 6 && form.code.bytes().all(|b| b.is_ascii_digit());
    let result = if fails || !code_ok {
        Err("3d_secure_failed")
    } else {
        Ok(())
    };
    bank.settle_card(&mut books, &id, card, result);
    drop(books);
    to_shop(ret)
}

/// The payer's banking app, played: the QR code the shop shows, and the payer's two answers.
pub async fn sbp_page(State(bank): State<Arc<Bank>>, Path(id): Path<String>) -> Response {
    let link = {
        let books = bank.books.lock().await;
        match books.payments.get(&id).map(|e| &e.payment.confirmation) {
            Some(Some(crate::model::Confirmation::Qr {
                confirmation_data: Some(link),
                ..
            })) => link.clone(),
            _ => return unknown(),
        }
    };
    match view(&bank, &id).await {
        None => unknown(),
        Some((Status::Pending, sum, _, _)) => page(
            "Оплата через СБП",
            &format!(
                r#"<p class="sum">К оплате: {sum}</p>
<figure id="qr">{}</figure>
<p><small>Отсканируйте код приложением банка. В песочнице приложение банка играют эти кнопки.</small></p>
<form method="post" action="/sbp/{id}/pay" style="display:inline"><button type="submit">Оплатить в приложении банка</button></form>
<form method="post" action="/sbp/{id}/decline" style="display:inline"><button type="submit">Отклонить</button></form>"#,
                sbp::qr_svg(&link)
            ),
        )
        .into_response(),
        Some((status, _, ret, _)) => finished(status, ret.as_deref()),
    }
}

pub async fn sbp_pay(State(bank): State<Arc<Bank>>, Path(id): Path<String>) -> Response {
    sbp_answer(&bank, &id, true).await
}

pub async fn sbp_decline(State(bank): State<Arc<Bank>>, Path(id): Path<String>) -> Response {
    sbp_answer(&bank, &id, false).await
}

async fn sbp_answer(bank: &Bank, id: &str, pay: bool) -> Response {
    let mut books = bank.books.lock().await;
    let Some(entry) = books.payments.get(id) else {
        return unknown();
    };
    if entry.payment.payment_method.kind != "sbp" {
        return unknown();
    }
    let ret = entry.return_url.clone();
    if pay {
        bank.authorise(&mut books, id);
    } else {
        bank.cancel_with(&mut books, id, "payment_method_restricted");
    }
    let status = books.payments[id].payment.status;
    drop(books);
    let text = if status == Status::Canceled {
        "Платёж отклонён."
    } else {
        "Оплачено."
    };
    page(
        "Оплата через СБП",
        &format!("<p id=\"state\">{text}</p>{}", back_link(ret.as_deref())),
    )
    .into_response()
}
