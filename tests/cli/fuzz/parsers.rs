//! (a) and (b): every parser, arbitrary and mutated input; only "no panic" is asserted.

use super::*;

fn parse_all_task_definition(text: &str) {
    let _ = cost::input::task_definition::parse(text);
}

fn parse_all_workload(text: &str) {
    let _ = cost::input::workload::parse(text);
}

fn parse_all_report(text: &str) {
    let _ = cost::report::saved::parse(text, "fuzz".to_owned());
}

/// describe-services output, alone and with itself as the task definition given.
fn parse_all_services(text: &str) {
    shared::services(text, None);
    shared::services(text, Some(text));
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn parse_decimal_never_panics(text in prop_oneof![
        text(),
        "[-+]?[0-9]{0,40}(\\.[0-9]{0,40})?([eE][-+]?[0-9]{0,4})?",
    ]) {
        if let Ok(value) = cost::money::parse_decimal(&text) {
            // What it accepts is a plain decimal, read exactly.
            prop_assert_eq!(Some(value), Decimal::from_str_exact(text.trim()).ok());
        }
    }

    #[test]
    fn task_definition_parse_never_panics(text in text()) {
        parse_all_task_definition(&text);
    }

    #[test]
    fn workload_parse_never_panics(text in text()) {
        parse_all_workload(&text);
    }

    #[test]
    fn report_parse_never_panics(text in text()) {
        parse_all_report(&text);
    }

    #[test]
    fn cloudformation_parse_never_panics(text in text()) {
        shared::cloudformation(&text, "", None);
    }

    #[test]
    fn services_parse_never_panics(text in text()) {
        parse_all_services(&text);
    }

    #[test]
    fn rate_table_parse_never_panics(text in text()) {
        shared::rate_table(&text);
    }

    #[test]
    fn read_price_list_never_panics(bytes in prop_oneof![
        any::<Vec<u8>>(),
        text().prop_map(String::into_bytes),
    ]) {
        shared::price_list(&bytes, None);
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn mutated_task_definitions_never_panic(bytes in mutated(&seeds().task_definitions)) {
        parse_all_task_definition(&lossy(&bytes));
    }

    #[test]
    fn mutated_workloads_never_panic(bytes in mutated(&seeds().workloads)) {
        parse_all_workload(&lossy(&bytes));
    }

    #[test]
    fn mutated_reports_never_panic(bytes in mutated(&seeds().reports)) {
        parse_all_report(&lossy(&bytes));
    }

    #[test]
    fn mutated_rate_tables_never_panic(bytes in mutated(&seeds().rate_tables)) {
        shared::rate_table(&lossy(&bytes));
    }

    #[test]
    fn mutated_price_lists_never_panic(bytes in mutated(&seeds().price_lists)) {
        shared::price_list(&bytes, None);
    }

    #[test]
    fn mutated_templates_never_panic(
        bytes in mutated(&seeds().templates),
        parameters in "([A-Za-z]{1,8}=[0-9a-z]{0,6}\n){0,3}",
    ) {
        shared::cloudformation(&lossy(&bytes), &parameters, None);
    }

    #[test]
    fn mutated_services_never_panic(bytes in mutated(&seeds().services)) {
        parse_all_services(&lossy(&bytes));
    }
}
