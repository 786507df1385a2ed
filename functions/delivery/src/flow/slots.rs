//! An order's place in an own-courier window: taken when the client chooses the window, kept
//! for good when the saga opens the paid order's case, given back when the case is cancelled or
//! the client chooses another. Shared by the choice and the cases.

use crate::{
    domain::slot::{Window, HOLD_MINUTES},
    store::{DeliveryStore, SlotHold},
};
use vitrina_shared::StoreError;

/// A window's place stays in the table this long after the window (then its TTL removes it).
const KEPT_AFTER_WINDOW_SECONDS: i64 = 2 * 24 * 3600;

/// Holds a place of `window` for the order — for `HOLD_MINUTES`, or for good when `confirmed` —
/// or finds the one it holds. `false` when every place is taken by live holds.
pub async fn hold(
    store: &DeliveryStore,
    zone: usize,
    window: &Window,
    order_id: &str,
    confirmed: bool,
    now: i64,
) -> Result<bool, StoreError> {
    let id = window.id();
    let expires_at = now + HOLD_MINUTES * 60;
    // A few rounds: each one either finds the order's hold, takes a place, or frees the places
    // of lapsed holds first.
    for _ in 0..3 {
        if let Some(held) = store.slot_hold(zone, &id, order_id).await? {
            if confirmed {
                if !store.confirm_hold(zone, &id, order_id).await? {
                    continue; // reclaimed between the read and the write
                }
            } else if !held.confirmed {
                match store.extend_hold(&held, expires_at).await {
                    Ok(()) => {}
                    // Lapsed and given to another order between the read and the write.
                    Err(StoreError::Conflict) => continue,
                    Err(e) => return Err(e),
                }
            }
            return Ok(true);
        }
        let hold = SlotHold {
            order_id: order_id.into(),
            zone,
            window_id: id.clone(),
            expires_at,
            confirmed,
            ttl: window.ends_at() + KEPT_AFTER_WINDOW_SECONDS,
        };
        if store.hold_slot(&hold).await? {
            return Ok(true);
        }
        // Full, or the order's own hold was written meanwhile (a double click): look again,
        // after giving back the places nobody paid for in time.
        if store.slot_hold(zone, &id, order_id).await?.is_none()
            && store.reclaim_lapsed(zone, &id, now).await? == 0
        {
            return Ok(false);
        }
    }
    Ok(false)
}
