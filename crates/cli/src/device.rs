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
        "wgpu" | "cuda" => Err(anyhow::anyhow!("device `{name}` needs the CLI built with `--features {name}`")),
        other => Err(anyhow::anyhow!("unknown device `{other}`: use flex, wgpu or cuda")),
    }
}
