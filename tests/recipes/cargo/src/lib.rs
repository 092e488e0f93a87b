//! The Cargo recipe's crate, the same three tests as the other recipes' projects.

pub fn add(a: i64, b: i64) -> i64 {
    a + b
}

pub fn mul(a: i64, b: i64) -> i64 {
    a * b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds() {
        assert_eq!(add(2, 3), 5);
    }

    // Threads, as the test harness itself runs tests on several.
    #[test]
    fn multiplies_on_threads() {
        let handles: Vec<_> = (0..4).map(|i| std::thread::spawn(move || mul(i, 7))).collect();
        for (i, h) in handles.into_iter().enumerate() {
            assert_eq!(h.join().unwrap(), i as i64 * 7);
        }
    }

    // Fails on purpose: a panic the harness catches (unwinding) and reports, exit status 101.
    #[test]
    fn fails_on_purpose() {
        assert_eq!(add(2, 2), 5, "expected 5");
    }
}
