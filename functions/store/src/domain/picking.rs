//! Which stores an order's units are taken from. Pickup: the pickup point is a store, and it
//! must hold every unit (the client collects there). Courier: the warehouses first, then the
//! stores with the most units, a line split between several when no single one has enough.

use std::collections::{BTreeMap, HashMap};
use vitrina_shared::contracts::store::{OrderedUnits, ReservedUnits};

/// Units per store id, for one product.
pub type Levels = BTreeMap<String, i64>;

/// The units each line takes from each store, or the products that cannot be served.
pub fn plan(
    lines: &[OrderedUnits],
    stock: &HashMap<String, Levels>,
    pickup_store: Option<&str>,
    warehouses: &[String],
) -> Result<Vec<ReservedUnits>, Vec<String>> {
    let mut taken = Vec::new();
    let mut short = Vec::new();
    for line in merged(lines) {
        let empty = Levels::new();
        let levels = stock.get(&line.product_id).unwrap_or(&empty);
        let sources: Vec<(&String, i64)> = match pickup_store {
            Some(store) => levels
                .get_key_value(store)
                .map(|(s, units)| (s, *units))
                .into_iter()
                .collect(),
            None => {
                let mut all: Vec<(&String, i64)> = levels.iter().map(|(s, u)| (s, *u)).collect();
                // Warehouses first, then the fullest stores; by id when equal, so a plan is
                // the same every time for the same stock.
                all.sort_by_key(|(s, units)| (!warehouses.contains(s), -units, (*s).clone()));
                all
            }
        };
        let mut wanted = line.quantity;
        let mut from = Vec::new();
        for (store, units) in sources {
            if wanted == 0 {
                break;
            }
            let take = units.min(wanted);
            if take > 0 {
                from.push(ReservedUnits {
                    product_id: line.product_id.clone(),
                    store_id: store.clone(),
                    quantity: take,
                });
                wanted -= take;
            }
        }
        if wanted > 0 {
            short.push(line.product_id.clone());
        } else {
            taken.extend(from);
        }
    }
    if short.is_empty() {
        Ok(taken)
    } else {
        Err(short)
    }
}

/// One line per product, quantities added up; bad quantities never take anything.
fn merged(lines: &[OrderedUnits]) -> Vec<OrderedUnits> {
    let mut out: Vec<OrderedUnits> = Vec::new();
    for l in lines.iter().filter(|l| l.quantity > 0) {
        match out.iter_mut().find(|o| o.product_id == l.product_id) {
            Some(o) => o.quantity += l.quantity,
            None => out.push(l.clone()),
        }
    }
    out
}

/// Where a picking case is on its way from the shelves to delivery.
pub mod case {
    pub use vitrina_shared::contracts::store::PickingStatus::{self, *};

    /// Operators move a case forward one step at a time, and put the goods of a cancelled
    /// hand-over back on the shelves; a cancelled case (its units back) moves no more.
    pub fn move_allowed(from: PickingStatus, to: PickingStatus) -> bool {
        matches!(
            (from, to),
            (Created, Picking) | (Picking, Packed) | (Packed, HandedOver) | (Returning, Returned)
        )
    }

    /// A release (the order undone) of a case in this status: its units go back to the shelves
    /// now; goods handed over wait for the warehouse to take them back (`Returning`).
    pub fn released_as(status: PickingStatus) -> PickingStatus {
        if status == HandedOver {
            Returning
        } else {
            Cancelled
        }
    }

    /// Undone: a reservation asked of it is refused, a release finds nothing to give back.
    pub fn is_undone(status: PickingStatus) -> bool {
        matches!(status, Cancelled | Returning | Returned)
    }

    /// Its units are off the shelves and counted as the order's (what `make audit` adds to
    /// the shelves to find every unit stocktakings brought in).
    pub fn holds_units(status: PickingStatus) -> bool {
        matches!(
            status,
            Held | Created | Picking | Packed | HandedOver | Returning
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_case_holds_and_whether_it_is_undone() {
        use case::*;
        for &status in PickingStatus::ALL {
            let holds = holds_units(status);
            let expected = !matches!(status, Lapsed | Cancelled | Returned);
            assert_eq!(holds, expected, "{status}");
        }
        assert!(
            is_undone(Returning),
            "undone, its goods still on the road back"
        );
        assert!(!is_undone(Held) && !is_undone(HandedOver) && !is_undone(Lapsed));
    }

    #[test]
    fn a_picking_case_moves_forward_one_step_at_a_time() {
        use case::*;
        assert!(move_allowed(Created, Picking));
        assert!(move_allowed(Picking, Packed));
        assert!(move_allowed(Packed, HandedOver));
        assert!(!move_allowed(Created, Packed), "no skipping");
        assert!(!move_allowed(Packed, Picking), "no way back");
        assert!(!move_allowed(Cancelled, Picking), "a cancelled case stays");
        assert!(
            !move_allowed(HandedOver, Cancelled),
            "cancelling is the saga's"
        );
        assert!(move_allowed(Returning, Returned), "goods taken back");
        assert!(
            !move_allowed(HandedOver, Returned),
            "only what was cancelled"
        );
        assert_eq!(
            released_as(HandedOver),
            Returning,
            "the courier's desk has them"
        );
        assert_eq!(released_as(Packed), Cancelled);
        assert_eq!(released_as(Held), Cancelled);
    }

    fn line(p: &str, q: i64) -> OrderedUnits {
        OrderedUnits {
            product_id: p.into(),
            quantity: q,
        }
    }

    fn stock(rows: &[(&str, &[(&str, i64)])]) -> HashMap<String, Levels> {
        rows.iter()
            .map(|(p, levels)| {
                (
                    p.to_string(),
                    levels.iter().map(|(s, u)| (s.to_string(), *u)).collect(),
                )
            })
            .collect()
    }

    fn units(plan: &[ReservedUnits]) -> Vec<(&str, &str, i64)> {
        plan.iter()
            .map(|r| (r.product_id.as_str(), r.store_id.as_str(), r.quantity))
            .collect()
    }

    #[test]
    fn pickup_takes_every_unit_from_the_pickup_store_or_nothing() {
        let s = stock(&[("a", &[("msk", 2), ("wh", 50)]), ("b", &[("msk", 1)])]);
        let p = plan(
            &[line("a", 2), line("b", 1)],
            &s,
            Some("msk"),
            &["wh".into()],
        )
        .unwrap();
        assert_eq!(units(&p), [("a", "msk", 2), ("b", "msk", 1)]);
        assert_eq!(
            plan(&[line("a", 3)], &s, Some("msk"), &["wh".into()]),
            Err(vec!["a".to_string()]),
            "the warehouse's units are not at the pickup point"
        );
    }

    #[test]
    fn courier_takes_from_the_warehouse_first_then_splits_over_the_fullest_stores() {
        let s = stock(&[("a", &[("msk", 3), ("spb", 5), ("wh", 2)])]);
        let p = plan(&[line("a", 6)], &s, None, &["wh".into()]).unwrap();
        assert_eq!(units(&p), [("a", "wh", 2), ("a", "spb", 4)]);
        assert_eq!(
            plan(&[line("a", 11)], &s, None, &["wh".into()]),
            Err(vec!["a".to_string()])
        );
    }

    #[test]
    fn lines_of_one_product_add_up_and_unknown_products_are_short() {
        let s = stock(&[("a", &[("wh", 3)])]);
        assert_eq!(
            units(&plan(&[line("a", 1), line("a", 2)], &s, None, &["wh".into()]).unwrap()),
            [("a", "wh", 3)]
        );
        assert_eq!(
            plan(&[line("a", 1), line("zz", 1)], &s, None, &[]),
            Err(vec!["zz".to_string()])
        );
        assert_eq!(
            plan(&[line("a", 4)], &s, None, &[]),
            Err(vec!["a".to_string()])
        );
    }
}
