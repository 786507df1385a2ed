//! The search index's versions: a build is named by when it started (milliseconds since the
//! epoch), so a catalog change is covered by any build that started after it.

/// Whether the index already current (`index_version`) includes a change made at `changed_at`:
/// then the `catalog.changed` message about it is stale and needs no rebuild.
pub fn covers(index_version: Option<i64>, changed_at: i64) -> bool {
    index_version.is_some_and(|built| built > changed_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_started_after_a_change_covers_it() {
        assert!(covers(Some(2_000), 1_999));
    }

    #[test]
    fn a_change_during_or_after_the_build_needs_another() {
        // The same millisecond: the build may have read the table just before the write.
        assert!(!covers(Some(2_000), 2_000));
        assert!(!covers(Some(2_000), 2_001));
    }

    #[test]
    fn without_an_index_every_change_needs_one() {
        assert!(!covers(None, 0));
        assert!(!covers(None, i64::MIN));
    }
}
