//! Items that are not tasks: the EKS control-plane fee and ECR image storage.

use rust_decimal::Decimal;

use super::{PriceError, missing};
use crate::model::{EcrRepository, EksCluster, Support};
use crate::money;
use crate::rates::RateTable;
use crate::report::Note;
use crate::report::{Component, Item, ItemKind, Line};

/// An EKS cluster: hours × the per-cluster-hour fee of its support tier (<https://aws.amazon.com/eks/pricing/>: 0.10 standard,
/// 0.60 extended). EKS on Fargate pods are priced as tasks with `platform = eks`.
pub fn price_eks_cluster(cluster: &EksCluster, table: &RateTable) -> Result<Item, PriceError> {
    let rates = table.eks.as_ref().ok_or_else(|| missing(table, "EKS cluster fee".into(), "eks"))?;
    let rate = match cluster.support {
        Support::Standard => rates.cluster_hour_standard.0,
        Support::Extended => {
            let extended = rates.cluster_hour_extended;
            extended
                .ok_or_else(|| {
                    missing(table, "EKS extended-support fee".into(), "eks.cluster_hour_extended")
                })?
                .0
        }
    };
    let line = Line {
        component: Component::EksCluster,
        quantity: cluster.hours.normalize(),
        rate: rate.normalize(),
        cost: money::product("an EKS cluster fee", &[cluster.hours, rate])?.normalize(),
        detail: format!("{} support", cluster.support).into(),
        rates: Some("eks"),
    };
    let kind = ItemKind::EksCluster { support: cluster.support, hours: cluster.hours.normalize() };
    Item::new(cluster.name.clone(), kind, vec![line], Vec::new())
}

/// An ECR repository: GB stored × months × the per-GB-month price (<https://aws.amazon.com/ecr/pricing/>). The free 500 MB a
/// month that new accounts get is not applied.
pub fn price_ecr_repository(repository: &EcrRepository, table: &RateTable) -> Result<Item, PriceError> {
    let rates = table.ecr.as_ref().ok_or_else(|| missing(table, "ECR storage price".into(), "ecr"))?;
    let gb_months = money::product("ECR GB-months", &[repository.storage_gb, repository.months])?;
    let line = Line {
        component: Component::EcrStorage,
        quantity: gb_months.normalize(),
        rate: rates.storage_gb_month.0.normalize(),
        cost: money::product("an ECR storage cost", &[gb_months, rates.storage_gb_month.0])?.normalize(),
        detail: format!(
            "{} GB for {} month(s)",
            repository.storage_gb.normalize(),
            repository.months.normalize()
        )
        .into(),
        rates: Some("ecr"),
    };
    let notes = if repository.storage_gb > Decimal::ZERO {
        vec![Note::Borrowed("ECR: the 500 MB-month of free private storage for new accounts is not applied")]
    } else {
        Vec::new()
    };
    let kind = ItemKind::EcrRepository {
        storage_gb: repository.storage_gb.normalize(),
        months: repository.months.normalize(),
    };
    Item::new(repository.name.clone(), kind, vec![line], notes)
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;
    use crate::rates;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn cluster_fee_by_support_tier() {
        let table = rates::fixture::table("us-east-1");
        // Infracost's golden test: "EKS cluster 730 hours $73.00" (730 × 0.10).
        let standard = EksCluster { name: "prod".into(), hours: d("730"), support: Support::Standard };
        assert_eq!(price_eks_cluster(&standard, &table).unwrap().total, d("73"));
        // Extended support: 730 × 0.60 = 438.
        let extended = EksCluster { support: Support::Extended, ..standard };
        let item = price_eks_cluster(&extended, &table).unwrap();
        assert_eq!(item.total, d("438"));
        assert_eq!(item.lines[0].component, Component::EksCluster);
    }

    #[test]
    fn ecr_storage_per_gb_month() {
        let table = rates::fixture::table("ap-northeast-2");
        // 50 GB × 1 month × 0.10 = 5; 12.5 GB × 3 months = 37.5 GB-months × 0.10 = 3.75.
        let repo = EcrRepository { name: "images".into(), storage_gb: d("50"), months: Decimal::ONE };
        assert_eq!(price_ecr_repository(&repo, &table).unwrap().total, d("5"));
        let repo = EcrRepository { name: "images".into(), storage_gb: d("12.5"), months: d("3") };
        let item = price_ecr_repository(&repo, &table).unwrap();
        assert_eq!((item.lines[0].quantity, item.total), (d("37.5"), d("3.75")));
    }
}
