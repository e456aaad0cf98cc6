//! Progress bars for long commands, on standard error (drawn only when it
//! is a terminal).

use indicatif::{ProgressBar, ProgressStyle};
use std::time::Duration;

/// A bar of `total` steps: `what` it does, counted in `unit`, with the rate
/// and the time left, redrawn steadily even while a batch is in flight.
pub fn bar(total: u64, what: &str, unit: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    let template = format!(
        "{{spinner}} {what} [{{bar:40}}] {{human_pos}}/{{human_len}} {unit}, {{per_sec}}, eta {{eta}}"
    );
    bar.set_style(
        ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}
