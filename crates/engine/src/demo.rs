//! Loading the bundled sample account into a store.

use rapport_store::{ImportCounts, ImportMeta, Store};

use crate::sample::{self, SampleSpec};
use crate::{Engine, Result};

impl Engine {
    /// Generates the sample account from `spec` and imports it as one batch, marking its owner as
    /// "me". Loading the same spec again adds nothing.
    pub fn load_sample(&self, spec: &SampleSpec) -> Result<ImportCounts> {
        let records = sample::generate(spec);
        let meta = ImportMeta {
            path: format!("sample:{} (seed {}, {} people)", sample::OWNER, spec.seed, spec.people),
            format: "sample".into(),
            checksum: format!("seed:{}", spec.seed),
            bytes: 0,
            started_at: crate::import::now(),
        };
        let row = self.store.import(&meta, |writer| {
            let mut counts = ImportCounts::default();
            for record in &records {
                counts.read += 1;
                writer.write(record)?;
            }
            Ok::<_, crate::Error>(counts)
        })?;
        Ok(row.counts)
    }
}
