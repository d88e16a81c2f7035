//! Choosing the burn device from the command line.

use burn::tensor::Device;

/// `flex` (burn's CPU backend, always built) or, when compiled with the matching feature,
/// `wgpu` or `cuda`.
pub fn parse(name: &str) -> anyhow::Result<Device> {
    match name {
        "flex" | "cpu" => Ok(Device::flex()),
        #[cfg(feature = "wgpu")]
        "wgpu" => Ok(Device::wgpu(Default::default())),
        #[cfg(feature = "cuda")]
        "cuda" => Ok(Device::cuda(0)),
        #[cfg(not(feature = "wgpu"))]
        "wgpu" => Err(not_built(name)),
        #[cfg(not(feature = "cuda"))]
        "cuda" => Err(not_built(name)),
        other => Err(anyhow::anyhow!("unknown device `{other}`: use flex, wgpu or cuda")),
    }
}

#[cfg(not(all(feature = "wgpu", feature = "cuda")))]
fn not_built(name: &str) -> anyhow::Error {
    anyhow::anyhow!("device `{name}` needs the CLI built with `--features {name}`")
}
