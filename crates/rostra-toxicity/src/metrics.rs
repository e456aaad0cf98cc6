//! ROC-AUC: the probability that a random positive scores above a random
//! negative, ties counting half.

/// ROC-AUC of `scores` against `truth`; `None` without both classes.
pub fn roc_auc(scores: &[f32], truth: &[bool]) -> Option<f64> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let positives = truth.iter().filter(|&&t| t).count();
    let negatives = truth.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    // Sum of the positives' ranks, ties sharing their average rank.
    let mut rank_sum = 0.0f64;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        let average = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += average * order[i..=j].iter().filter(|&&k| truth[k]).count() as f64;
        i = j + 1;
    }
    let p = positives as f64;
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * negatives as f64))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn perfect_inverse_and_tied() {
        let t = [false, false, true, true];
        assert_eq!(roc_auc(&[0.1, 0.2, 0.8, 0.9], &t), Some(1.0));
        assert_eq!(roc_auc(&[0.9, 0.8, 0.2, 0.1], &t), Some(0.0));
        assert_eq!(roc_auc(&[0.5; 4], &t), Some(0.5));
        assert_eq!(roc_auc(&[0.1, 0.2], &[false, false]), None);
    }

    #[test]
    fn counts_pairs() {
        // Positives 0.4 and 0.9; negatives 0.1, 0.5: 3 of 4 pairs ordered.
        let auc = roc_auc(&[0.1, 0.4, 0.5, 0.9], &[false, true, false, true]);
        assert_eq!(auc, Some(0.75));
    }
}
