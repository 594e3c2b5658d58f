//! Workload files (TOML): many services, EKS clusters and ECR repositories priced together, with an
//! optional budget. Shape and an example: docs/inputs.md, "Workload files".

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use super::{InputError, TaskInput, TomlProblem, non_negative, positive};
use crate::model::{EcrRepository, EksCluster, Support};
use crate::money::Exact;

/// An `[[eks_cluster]]`: the per-cluster-hour fee.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EksClusterInput {
    pub name: String,
    /// Hours the cluster exists in the period; default 730 (one month).
    pub hours: Option<Exact>,
    /// `standard` (default) or `extended` Kubernetes version support.
    pub support: Option<Support>,
    /// This cluster's own limit in USD.
    pub budget: Option<Exact>,
}

/// An `[[ecr_repository]]`: image storage per GB-month.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EcrRepositoryInput {
    pub name: String,
    pub storage_gb: Exact,
    /// Months the images are stored in the period; default 1.
    pub months: Option<Exact>,
    /// This repository's own limit in USD.
    pub budget: Option<Exact>,
}

impl EksClusterInput {
    /// The cluster, with defaults filled: 730 hours, standard support.
    pub fn to_cluster(&self) -> EksCluster {
        EksCluster {
            name: self.name.clone(),
            hours: self.hours.map_or(crate::model::MONTH_HOURS, |h| h.0),
            support: self.support.unwrap_or_default(),
        }
    }
}

impl EcrRepositoryInput {
    /// The repository, with defaults filled: one month.
    pub fn to_repository(&self) -> EcrRepository {
        EcrRepository {
            name: self.name.clone(),
            storage_gb: self.storage_gb.0,
            months: self.months.map_or(Decimal::ONE, |m| m.0),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct BudgetSection {
    limit: Exact,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    region: Option<String>,
    budget: Option<BudgetSection>,
    #[serde(default)]
    service: Vec<Spanned<TaskInput>>,
    #[serde(default)]
    eks_cluster: Vec<Spanned<EksClusterInput>>,
    #[serde(default)]
    ecr_repository: Vec<Spanned<EcrRepositoryInput>>,
}

/// Where an entry stands in its file, for messages: `[[service]] "api" (line 12)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub table: &'static str,
    pub name: String,
    pub line: usize,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[[{}]] \"{}\" (line {})", self.table, self.name, self.line)
    }
}

/// A workload file, read and checked, not yet priced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    pub region: Option<String>,
    pub budget: Option<Decimal>,
    pub services: Vec<(Place, TaskInput)>,
    pub eks_clusters: Vec<(Place, EksClusterInput)>,
    pub ecr_repositories: Vec<(Place, EcrRepositoryInput)>,
}

/// Why a workload file cannot be read: one line with its line and column where known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkloadError {
    #[error("line {line}, column {column}{}: {message}", entry.as_ref().map(|e| format!(", in {e}")).unwrap_or_default())]
    Syntax { line: usize, column: usize, entry: Option<String>, message: String },
    #[error("{0}: {1}")]
    Entry(Place, String),
    #[error("is empty: a workload needs at least one [[service]], [[eks_cluster]] or [[ecr_repository]]")]
    Empty,
    #[error("`budget.limit` must be 0 or more, got {0}")]
    NegativeBudget(Decimal),
}

/// Reads a workload file's text.
pub fn parse(text: &str) -> Result<Workload, WorkloadError> {
    let file: File = toml::from_str(text).map_err(|err| {
        let problem = TomlProblem::new(text, &err);
        WorkloadError::Syntax {
            line: problem.line,
            column: problem.column,
            entry: problem.table,
            message: problem.message,
        }
    })?;
    let lines = LineEnds::new(text);
    let place = |table: &'static str, span: std::ops::Range<usize>, name: Option<&str>, index: usize| Place {
        table,
        name: name.map_or_else(|| format!("#{}", index + 1), str::to_owned),
        line: lines.line(span.start),
    };
    let services: Vec<_> = file
        .service
        .into_iter()
        .enumerate()
        .map(|(i, s)| (place("service", s.span(), s.get_ref().name.as_deref(), i), s.into_inner()))
        .collect();
    let eks_clusters: Vec<_> = file
        .eks_cluster
        .into_iter()
        .enumerate()
        .map(|(i, c)| (place("eks_cluster", c.span(), Some(&c.get_ref().name), i), c.into_inner()))
        .collect();
    let ecr_repositories: Vec<_> = file
        .ecr_repository
        .into_iter()
        .enumerate()
        .map(|(i, r)| (place("ecr_repository", r.span(), Some(&r.get_ref().name), i), r.into_inner()))
        .collect();
    let workload = Workload {
        region: file.region,
        budget: file.budget.map(|b| b.limit.0),
        services,
        eks_clusters,
        ecr_repositories,
    };
    workload.check()?;
    Ok(workload)
}

/// Where the lines of a text end, found in one pass, so that the line of each entry is a binary
/// search rather than a count from the top (which made reading quadratic in the entries).
struct LineEnds(Vec<usize>);

impl LineEnds {
    fn new(text: &str) -> Self {
        LineEnds(memchr::memchr_iter(b'\n', text.as_bytes()).collect())
    }

    /// The 1-based line of byte `offset`: one more than the line ends before it.
    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&end| end < offset) + 1
    }
}

impl Workload {
    /// Where every entry stands, in the order a report lists them: services, EKS clusters, ECR
    /// repositories.
    pub fn places(&self) -> impl Iterator<Item = &Place> {
        let services = self.services.iter().map(|(p, _)| p);
        let clusters = self.eks_clusters.iter().map(|(p, _)| p);
        services.chain(clusters).chain(self.ecr_repositories.iter().map(|(p, _)| p))
    }

    /// Names present and unique (reports and `cost diff` match items by name), numbers in range.
    fn check(&self) -> Result<(), WorkloadError> {
        if self.services.is_empty() && self.eks_clusters.is_empty() && self.ecr_repositories.is_empty() {
            return Err(WorkloadError::Empty);
        }
        if let Some(limit) = self.budget.filter(|l| *l < Decimal::ZERO) {
            return Err(WorkloadError::NegativeBudget(limit));
        }
        let entry =
            |place: &Place, message: &str| Err(WorkloadError::Entry(place.clone(), message.to_owned()));
        let mut seen = std::collections::BTreeMap::new();
        let names = self
            .services
            .iter()
            .map(|(p, s)| (p, s.name.as_deref()))
            .chain(self.eks_clusters.iter().map(|(p, c)| (p, Some(c.name.as_str()))))
            .chain(self.ecr_repositories.iter().map(|(p, r)| (p, Some(r.name.as_str()))));
        for (place, name) in names {
            match name.map(str::trim) {
                None => return entry(place, "missing `name`; every entry needs one"),
                Some("") => return entry(place, "`name` is empty"),
                Some(n) => {
                    if let Some(first) = seen.insert(n.to_owned(), place.line) {
                        return entry(
                            place,
                            &format!("the name is already used on line {first}; names must be unique"),
                        );
                    }
                }
            }
        }
        let budgets = self
            .services
            .iter()
            .map(|(p, s)| (p, s.budget))
            .chain(self.eks_clusters.iter().map(|(p, c)| (p, c.budget)))
            .chain(self.ecr_repositories.iter().map(|(p, r)| (p, r.budget)));
        // The range rules of every input path (`input::positive`, `input::non_negative`).
        let in_range = |place: &Place, checked: Result<Decimal, InputError>| {
            checked.map(|_| ()).map_err(|e| WorkloadError::Entry(place.clone(), e.to_string()))
        };
        for (place, budget) in budgets {
            if let Some(budget) = budget {
                in_range(place, non_negative("budget", budget.0))?;
            }
        }
        for (place, cluster) in &self.eks_clusters {
            if let Some(hours) = cluster.hours {
                in_range(place, positive("hours", hours.0))?;
            }
        }
        for (place, repo) in &self.ecr_repositories {
            in_range(place, non_negative("storage_gb", repo.storage_gb.0))?;
            if let Some(months) = repo.months {
                in_range(place, positive("months", months.0))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// The workload example of docs/inputs.md, less its `instance_type` (EC2 launch type only).
    const SPEC_EXAMPLE: &str = include_str!("../../tests/data/spec-workload.toml");

    #[test]
    fn reads_the_spec_example() {
        let w = parse(SPEC_EXAMPLE).unwrap();
        assert_eq!(w.region.as_deref(), Some("ap-northeast-2"));
        assert_eq!(w.budget, Some(Decimal::from(500)));
        let (place, api) = &w.services[0];
        assert_eq!(place.to_string(), "[[service]] \"api\" (line 6)");
        assert_eq!(api.count, Some(3));
        assert_eq!(api.vcpu.map(|v| v.0), Some(Decimal::ONE));
        assert_eq!(w.eks_clusters[0].1.support, Some(Support::Standard));
        assert_eq!(w.ecr_repositories[0].1.storage_gb.0, Decimal::from_str("50").unwrap());
    }

    #[test]
    fn line_ends_give_the_line_that_counting_from_the_top_gives() {
        let text = "a\n\nbc\nd\n";
        let lines = LineEnds::new(text);
        for offset in 0..=text.len() + 1 {
            assert_eq!(lines.line(offset), crate::input::line_column(text, offset).0, "{offset}");
        }
    }

    #[test]
    fn errors_name_the_line_the_entry_and_the_key() {
        let cases = [
            (
                "[[service]]\nname = \"a\"\n[[service]]\nname = \"b\"\ncpu = 1\n",
                "line 5, column 1, in [[service]] #2: unknown field `cpu`",
            ),
            (
                "[[service]]\nname = \"a\"\ncount = -1\n",
                "line 3, column 9, in [[service]] #1: `count`: expected a whole number, got -1",
            ),
            (
                "[[service]]\nname = \"a\"\nvcpu = 0.1\n",
                "in [[service]] #1: `vcpu`: the float 0.1 cannot be kept exactly",
            ),
            ("[[service]]\nname = \"a\"\narch = \"sparc\"\n", "unknown variant `sparc`"),
            ("[budget]\nlimit = \"lots\"\n", "in [budget]: `limit`: expected a decimal number"),
            ("region = 5\n", "line 1, column 10: `region`: invalid type: integer `5`"),
            ("[[service]]\nvcpu = 1\n", "[[service]] \"#1\" (line 1): missing `name`"),
            (
                "[[service]]\nname = \"a\"\n[[ecr_repository]]\nname = \"a\"\nstorage_gb = 1\n",
                "already used on line 1",
            ),
            ("[[eks_cluster]]\nname = \"c\"\nsupport = \"premium\"\n", "unknown variant `premium`"),
            ("[[eks_cluster]]\nname = \"c\"\nhours = 0\n", "`hours` must be greater than 0"),
            ("[[ecr_repository]]\nname = \"r\"\n", "missing field `storage_gb`"),
            ("[[ecr_repository]]\nname = \"r\"\nstorage_gb = -1\n", "`storage_gb` must be 0 or more"),
            ("", "is empty"),
            ("[budget]\nlimit = -1\n[[service]]\nname = \"a\"\n", "`budget.limit` must be 0 or more"),
            ("[[service]\n", "line 1"),
        ];
        for (text, expected) in cases {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(expected), "{text:?}\n  got: {err}\n  want: {expected}");
            assert!(!err.contains('\n'), "{err}");
        }
    }
}
