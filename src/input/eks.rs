//! Which EKS support tier a cluster's Kubernetes version is in on a given day (any input that names a
//! cluster's version: Terraform plans, CloudFormation templates).
//!
//! Source: the Amazon EKS User Guide, "Understand the Kubernetes version lifecycle on EKS",
//! section "Amazon EKS Kubernetes release calendar"
//! (<https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar>;
//! the page's source is `latest/ug/versioning/kubernetes-versions.adoc` in
//! `awsdocs/amazon-eks-user-guide`, commit 8596db85c9ea47d3c692d8c7c0498f616187d44d). The dates are
//! UTC; "billing for extended support starts at the beginning of the day that the version reaches
//! end of standard support". Only the versions that calendar lists are here: any other version is
//! priced as standard support, and the estimate says so.

use crate::model::Date;
use crate::model::Support;

/// A date as `(year, month, day)`.
pub type Ymd = (u16, u8, u8);

/// `(Kubernetes minor version, end of standard support, end of extended support)`, as
/// `(year, month, day)`, newest first, exactly as the release calendar gives them.
pub const SUPPORT_CALENDAR: [(&str, Ymd, Ymd); 7] = [
    ("1.33", (2026, 7, 29), (2027, 7, 29)),
    ("1.32", (2026, 3, 23), (2027, 3, 23)),
    ("1.31", (2025, 11, 26), (2026, 11, 26)),
    ("1.30", (2025, 7, 23), (2026, 7, 23)),
    ("1.29", (2025, 3, 23), (2026, 3, 23)),
    ("1.28", (2024, 11, 26), (2025, 11, 26)),
    ("1.27", (2024, 7, 24), (2025, 7, 24)),
];

fn date((year, month, day): (u16, u8, u8)) -> Option<Date> {
    Date::new(year, month, day)
}

/// The tier `version` (`"1.29"`, or `"1.29.3"`) is in on `today`, and an assumption line when the
/// answer is not read straight from the calendar. `None` for the version means the plan does not
/// know it.
pub fn support(version: Option<&str>, today: Option<Date>) -> (Support, Option<String>) {
    let Some(version) = version else {
        return (
            Support::Standard,
            Some("its Kubernetes version is not known until apply (EKS picks its default): priced as standard support".into()),
        );
    };
    let minor: String = version.trim().split('.').take(2).collect::<Vec<_>>().join(".");
    let Some((_, standard_end, extended_end)) = SUPPORT_CALENDAR.iter().find(|(v, _, _)| *v == minor) else {
        return (
            Support::Standard,
            Some(format!(
                "Kubernetes {version} is not in the EKS release calendar this build carries (1.27 to 1.33): priced as standard support"
            )),
        );
    };
    let Some(today) = today else {
        return (Support::Standard, Some("today's date is unknown: priced as standard support".into()));
    };
    match (date(*standard_end), date(*extended_end)) {
        (Some(standard_end), _) if today < standard_end => (Support::Standard, None),
        (Some(_), Some(extended_end)) if today >= extended_end => (
            Support::Extended,
            Some(format!(
                "Kubernetes {minor} reached the end of extended support on {extended_end}: AWS upgrades such clusters \
                 automatically; priced at the extended-support fee until then"
            )),
        ),
        (Some(standard_end), _) => (
            Support::Extended,
            Some(format!("Kubernetes {minor} left standard support on {standard_end}: extended support fee")),
        ),
        (None, _) => (Support::Standard, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: u16, m: u8, d: u8) -> Option<Date> {
        Date::new(y, m, d)
    }

    #[test]
    fn every_calendar_date_is_real_and_extended_is_a_year_after_standard() {
        for (version, standard, extended) in SUPPORT_CALENDAR {
            let (s, e) = (date(standard).unwrap(), date(extended).unwrap());
            assert!(s < e, "{version}");
            assert_eq!((standard.0 + 1, standard.1, standard.2), extended, "{version}");
        }
    }

    #[test]
    fn standard_until_the_day_before_the_end_then_extended() {
        assert_eq!(support(Some("1.29"), day(2025, 3, 22)), (Support::Standard, None));
        let (tier, note) = support(Some("1.29"), day(2025, 3, 23));
        assert_eq!(tier, Support::Extended);
        assert!(note.unwrap().contains("2025-03-23"));
        assert_eq!(support(Some("1.33.1"), day(2026, 1, 1)), (Support::Standard, None));
        let (tier, note) = support(Some("1.27"), day(2026, 1, 1));
        assert_eq!(tier, Support::Extended);
        assert!(note.unwrap().contains("end of extended support"));
    }

    #[test]
    fn unknown_versions_and_dates_are_standard_and_said() {
        for (version, today) in
            [(Some("1.40"), day(2026, 1, 1)), (None, day(2026, 1, 1)), (Some("1.29"), None)]
        {
            let (tier, note) = support(version, today);
            assert_eq!(tier, Support::Standard);
            assert!(note.is_some());
        }
    }
}
