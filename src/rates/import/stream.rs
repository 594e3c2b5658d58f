//! Walking a price list file as a stream of products and terms.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::collect::{Band, Collected, Ec2Type, ImportError, Origin, Price, fargate_field};
use crate::model::Arch;
use crate::model::Date;
use crate::money::parse_decimal;

/// A product as the price list describes it; only the attributes are read.
#[derive(Debug, Deserialize)]
struct ProductJson {
    #[serde(rename = "productFamily", default)]
    family: Option<String>,
    #[serde(default)]
    attributes: HashMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct TermJson {
    #[serde(rename = "priceDimensions", default)]
    dimensions: HashMap<String, DimensionJson>,
    #[serde(rename = "effectiveDate", default)]
    effective: Option<String>,
}

#[derive(Debug, Deserialize)]
struct DimensionJson {
    #[serde(rename = "pricePerUnit", default)]
    price: HashMap<String, String>,
    #[serde(rename = "beginRange", default)]
    begin: Option<String>,
    #[serde(rename = "endRange", default)]
    end: Option<String>,
}

/// What a product is to the rate tables.
#[derive(Debug, Clone)]
enum Kind {
    Field(&'static str, &'static str),
    Transfer,
    Ec2 { instance_type: String, vcpu: u32, memory_gib: Decimal, arch: Arch },
}

#[derive(Debug, Clone)]
struct Product {
    region: String,
    location: Option<String>,
    kind: Kind,
}

/// Which price of its region a product sets: products that set the same one list it again.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Sets {
    Field(&'static str, &'static str),
    Transfer,
    Ec2(String),
}

impl Product {
    /// Its region and the price it sets there.
    fn sets(&self) -> (String, Sets) {
        let sets = match &self.kind {
            Kind::Field(section, field) => Sets::Field(section, field),
            Kind::Transfer => Sets::Transfer,
            Kind::Ec2 { instance_type, .. } => Sets::Ec2(instance_type.clone()),
        };
        (self.region.clone(), sets)
    }
}

/// Reads one price list file (either shape) from `reader`, adding what it recognises to
/// `collected`. `region_of` maps an AWS location name to a region code, for products that carry no
/// `regionCode`.
pub fn read_price_list<R: Read>(
    reader: R,
    file: &str,
    region_of: &dyn Fn(&str) -> Option<String>,
    collected: &mut Collected,
) -> Result<(), ImportError> {
    let mut json = serde_json::Deserializer::from_reader(reader);
    let mut walk = Walk::new(file, region_of, collected);
    DeserializeSeed::deserialize(&mut walk, &mut json).map_err(|e| fail(file, &e))?;
    json.end().map_err(|e| fail(file, &e))?;
    if walk.offers == 0 {
        return Err(ImportError::File {
            file: file.to_owned(),
            message: "not an AWS price list: no `products` or `PriceList` found".into(),
        });
    }
    Ok(())
}

fn fail(file: &str, error: &serde_json::Error) -> ImportError {
    ImportError::File { file: file.to_owned(), message: crate::input::one_line(&error.to_string()) }
}

struct Walk<'a> {
    file: &'a str,
    region_of: &'a dyn Fn(&str) -> Option<String>,
    collected: &'a mut Collected,
    /// The products that matter, by SKU (bulk files list products before their terms): of those
    /// that set the same price, only the last listed, whose price is the one taken. So the
    /// products kept are no more than the prices the table can hold, however many match.
    products: HashMap<String, Product>,
    /// The SKU kept for each price.
    setting: HashMap<(String, Sets), String>,
    publication: Option<Date>,
    source: String,
    /// How many product lists were seen (a file with none is not a price list).
    offers: usize,
}

impl<'a> Walk<'a> {
    fn new(
        file: &'a str,
        region_of: &'a dyn Fn(&str) -> Option<String>,
        collected: &'a mut Collected,
    ) -> Self {
        Walk {
            file,
            region_of,
            collected,
            products: HashMap::new(),
            setting: HashMap::new(),
            publication: None,
            source: file.to_owned(),
            offers: 0,
        }
    }

    /// Keeps `product` as the one that sets its price, in place of any listed before it.
    fn keep(&mut self, sku: String, product: Product) {
        let sets = product.sets();
        if let Some(earlier) = self.setting.insert(sets.clone(), sku.clone())
            && self.products.get(&earlier).is_some_and(|p| p.sets() == sets)
        {
            self.products.remove(&earlier);
        }
        self.products.insert(sku, product);
    }

    fn classify(&self, product: &ProductJson) -> Option<Product> {
        let a = &product.attributes;
        let get = |key: &str| a.get(key).map(String::as_str);
        let region_from = |code: Option<&str>, location: Option<&str>| {
            code.map(str::to_owned).or_else(|| location.and_then(|l| (self.region_of)(l)))
        };
        let family = product.family.as_deref().unwrap_or_default();
        if family == "Data Transfer" || get("transferType").is_some() {
            let outbound =
                get("transferType") == Some("AWS Outbound") && get("toLocation") == Some("External");
            let region = region_from(get("fromRegionCode"), get("fromLocation"))?;
            return outbound.then(|| Product {
                region,
                location: get("fromLocation").map(str::to_owned),
                kind: Kind::Transfer,
            });
        }
        let region = region_from(get("regionCode"), get("location"))?;
        let location = get("location").map(str::to_owned);
        if let Some((section, field)) = get("usagetype").and_then(fargate_field) {
            return Some(Product { region, location, kind: Kind::Field(section, field) });
        }
        let linux_shared_used = get("operatingSystem") == Some("Linux")
            && get("tenancy") == Some("Shared")
            && get("preInstalledSw").is_none_or(|s| s == "NA")
            && get("capacitystatus").is_none_or(|s| s == "Used")
            && get("licenseModel").is_none_or(|s| s == "No License required");
        if family == "Compute Instance" && linux_shared_used {
            let vcpu = get("vcpu")?.trim().parse().ok()?;
            let memory = get("memory")?.trim().trim_end_matches("GiB").trim().replace(',', "");
            let memory_gib = parse_decimal(&memory).ok()?;
            let arch = if get("physicalProcessor").is_some_and(|p| p.contains("Graviton")) {
                Arch::Arm64
            } else {
                Arch::X86_64
            };
            let instance_type = get("instanceType")?.to_owned();
            return Some(Product {
                region,
                location,
                kind: Kind::Ec2 { instance_type, vcpu, memory_gib, arch },
            });
        }
        None
    }

    /// Records the on-demand price of a product that matters.
    fn price(&mut self, product: &Product, terms: &HashMap<String, TermJson>) -> Result<(), String> {
        let Some(term) = terms.values().next() else { return Ok(()) };
        let date = self
            .publication
            .or_else(|| term.effective.as_deref().and_then(|d| d.get(..10)).and_then(|d| d.parse().ok()))
            .ok_or("the offer has no publicationDate and the term no effectiveDate")?;
        let origin = Origin { date, source: self.source.clone() };
        let mut bands = Vec::new();
        for dimension in term.dimensions.values() {
            let Some(usd) = dimension.price.get("USD") else { continue };
            let value = parse_decimal(usd).map_err(|e| format!("price {usd}: {e}"))?.normalize();
            let bound = |b: &Option<String>| match b.as_deref() {
                None | Some("Inf") => Ok(None),
                Some(text) => parse_decimal(text).map(|d| Some(d.normalize())).map_err(|e| e.to_string()),
            };
            let begin = bound(&dimension.begin)?.unwrap_or(Decimal::ZERO);
            bands.push(Band { begin, end: bound(&dimension.end)?, value });
        }
        bands.sort_by_key(|b| b.begin);
        let region = self.collected.region(&product.region);
        if region.location.is_none() {
            region.location.clone_from(&product.location);
        }
        match &product.kind {
            Kind::Field(section, field) => {
                // Fargate and EKS prices have one dimension from 0 to Inf.
                if let Some(band) = bands.iter().find(|b| b.begin.is_zero() && b.end.is_none()) {
                    region.prices.insert((section, field), Price { value: band.value, origin });
                }
            }
            Kind::Transfer => {
                // The allowance is --free-data-transfer's: a leading free band is folded into the next.
                if bands.len() > 1 && bands[0].value.is_zero() {
                    bands.remove(0);
                    bands[0].begin = Decimal::ZERO;
                }
                region.transfer = Some((bands, origin));
            }
            Kind::Ec2 { instance_type, vcpu, memory_gib, arch } => {
                if let Some(band) = bands.iter().find(|b| b.begin.is_zero()).filter(|b| !b.value.is_zero()) {
                    let found = Ec2Type {
                        vcpu: *vcpu,
                        memory_gib: *memory_gib,
                        arch: *arch,
                        hourly: band.value,
                        origin,
                    };
                    region.ec2.insert(instance_type.clone(), found);
                }
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for &mut Walk<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &mut Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an AWS price list (a bulk offer file or `aws pricing get-products` output)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "publicationDate" => {
                    let text: String = map.next_value()?;
                    self.publication = text.get(..10).and_then(|d| d.parse().ok());
                }
                "version" => {
                    let version: String = map.next_value()?;
                    self.source = format!("{}, version {version}", self.file);
                }
                "products" => {
                    self.offers += 1;
                    map.next_value_seed(Products(self))?;
                }
                "terms" => map.next_value_seed(Terms(self))?,
                "PriceList" => {
                    self.offers += 1;
                    map.next_value_seed(PriceList(self))?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// `products`: SKU → product; the ones that matter are kept.
struct Products<'w, 'a>(&'w mut Walk<'a>);

impl<'de> DeserializeSeed<'de> for Products<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Products<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of products by SKU")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(sku) = map.next_key::<String>()? {
            let product: ProductJson = map.next_value()?;
            if let Some(found) = self.0.classify(&product) {
                self.0.keep(sku, found);
            }
        }
        Ok(())
    }
}

/// `terms`: only `OnDemand` is read.
struct Terms<'w, 'a>(&'w mut Walk<'a>);

impl<'de> DeserializeSeed<'de> for Terms<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Terms<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the terms of an offer")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(kind) = map.next_key::<String>()? {
            if kind == "OnDemand" {
                map.next_value_seed(OnDemand(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// `terms.OnDemand`: SKU → its terms; those of products that matter are priced.
struct OnDemand<'w, 'a>(&'w mut Walk<'a>);

impl<'de> DeserializeSeed<'de> for OnDemand<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OnDemand<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("on-demand terms by SKU")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(sku) = map.next_key::<String>()? {
            match self.0.products.get(&sku).cloned() {
                Some(product) => {
                    let terms: HashMap<String, TermJson> = map.next_value()?;
                    self.0
                        .price(&product, &terms)
                        .map_err(|e| de::Error::custom(format!("SKU {sku}: {e}")))?;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// `PriceList` of `get-products`: each element is a product with its terms, as a JSON string.
struct PriceList<'w, 'a>(&'w mut Walk<'a>);

#[derive(Debug, Deserialize)]
struct ListedProduct {
    product: ProductJson,
    #[serde(default)]
    terms: ListedTerms,
    #[serde(rename = "publicationDate", default)]
    publication: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ListedTerms {
    #[serde(rename = "OnDemand", default)]
    on_demand: HashMap<String, TermJson>,
}

impl<'de> DeserializeSeed<'de> for PriceList<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for PriceList<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of products as JSON strings")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        while let Some(text) = seq.next_element::<String>()? {
            let listed: ListedProduct = serde_json::from_str(&text)
                .map_err(|e| de::Error::custom(format!("PriceList[{index}]: {e}")))?;
            if let Some(date) =
                listed.publication.as_deref().and_then(|d| d.get(..10)).and_then(|d| d.parse().ok())
            {
                self.0.publication = Some(date);
            }
            if let Some(product) = self.0.classify(&listed.product) {
                self.0
                    .price(&product, &listed.terms.on_demand)
                    .map_err(|e| de::Error::custom(format!("PriceList[{index}]: {e}")))?;
            }
            index += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ec2(instance_type: &str) -> Product {
        Product {
            region: "us-east-1".into(),
            location: None,
            kind: Kind::Ec2 {
                instance_type: instance_type.into(),
                vcpu: 2,
                memory_gib: Decimal::from(8),
                arch: Arch::X86_64,
            },
        }
    }

    #[test]
    fn keeps_one_product_for_each_price_however_many_list_it() {
        let mut collected = Collected::default();
        let mut walk = Walk::new("offer.json", &|_| None, &mut collected);
        // 10,000 listings of two instance types, and a Fargate price listed twice.
        for i in 0..10_000 {
            walk.keep(format!("E{i}"), ec2(if i % 2 == 0 { "m5.large" } else { "m6g.large" }));
        }
        let fargate = Kind::Field("fargate.linux_x86_64", "vcpu_hour");
        for sku in ["F1", "F2"] {
            walk.keep(
                sku.into(),
                Product { region: "us-east-1".into(), location: None, kind: fargate.clone() },
            );
        }
        // The last listing of each: the one whose terms are priced.
        let mut kept: Vec<&str> = walk.products.keys().map(String::as_str).collect();
        kept.sort_unstable();
        assert_eq!(kept, ["E9998", "E9999", "F2"]);
        // A SKU listed again as another product is that product alone.
        walk.keep("E9999".into(), ec2("c5.large"));
        walk.keep("E10000".into(), ec2("m6g.large"));
        let mut kept: Vec<&str> = walk.products.keys().map(String::as_str).collect();
        kept.sort_unstable();
        assert_eq!(kept, ["E10000", "E9998", "E9999", "F2"]);
        assert!(
            matches!(&walk.products["E9999"].kind, Kind::Ec2 { instance_type, .. } if instance_type == "c5.large")
        );
    }
}
