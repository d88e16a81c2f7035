//! What training a student costs, from its shape and batch alone, and the bounds every run is held
//! to (the page, its links and sweeps, the worker and the CLI all check [`TrainConfig::validate`]).
//! A parameter count is not enough: `cnn:4096-1-1` has 78k parameters, yet its first layer's
//! activations are 12.8 MB per image. The bounds keep one student inside what a browser tab can
//! give it (wasm32 has 4 GiB for everything), every tensor inside one GPU buffer (WebGPU promises
//! 128 MiB per binding) and one step short enough that Pause, looked at between steps, answers
//! promptly.

use crate::{Architecture, TrainConfig, CLASSES, PIXELS, SIDE};

/// Memory one student may take while it trains.
pub const MAX_STUDENT_BYTES: u64 = 256 << 20;
/// Floating-point operations one training step may take: under a second on one wasm thread.
pub const MAX_STEP_FLOPS: u64 = 8_000_000_000;
/// Bytes one tensor may hold: WebGPU guarantees every adapter binds a storage buffer this large
/// (`maxStorageBufferBindingSize`), so a student that keeps under it runs on any of them.
pub const MAX_TENSOR_BYTES: u64 = 128 << 20;
/// Images per evaluation chunk when memory allows.
const EVAL_CHUNK: usize = 500;

/// f32 values kept per parameter: the weight, its gradient, Adam's two moments, and the copy
/// of the weight and moments kept to roll back a diverged step.
const FLOATS_PER_PARAMETER: u64 = 7;
/// f32 values kept per activation while training: its value, its gradient, and a temporary.
const FLOATS_PER_ACTIVATION: u64 = 3;

impl Architecture {
    /// f32 activations one image produces in a forward pass (input and every layer's output,
    /// before and after the ReLU).
    pub fn activations_per_image(&self) -> u64 {
        let (pixels, classes) = (PIXELS as u64, CLASSES as u64);
        match self {
            Architecture::Mlp { hidden } => pixels + hidden.iter().map(|&w| 2 * w as u64).sum::<u64>() + classes,
            Architecture::Cnn { conv1, conv2, dense } => {
                let (c1, c2, d) = (*conv1 as u64, *conv2 as u64, *dense as u64);
                let (full, half, quarter) = ((SIDE * SIDE) as u64, (SIDE * SIDE / 4) as u64, (SIDE * SIDE / 16) as u64);
                pixels + 2 * full * c1 + half * c1 + 2 * half * c2 + quarter * c2 + 2 * d + classes
            }
        }
    }

    /// Floating-point operations of one image's forward pass (two per multiply-add).
    pub fn forward_flops_per_image(&self) -> u64 {
        match self {
            Architecture::Mlp { .. } => 2 * self.parameters() as u64,
            Architecture::Cnn { conv1, conv2, dense } => {
                let (c1, c2, d) = (*conv1 as u64, *conv2 as u64, *dense as u64);
                let (full, half) = ((SIDE * SIDE) as u64, (SIDE * SIDE / 4) as u64);
                2 * (full * 9 * c1 + half * 9 * c1 * c2 + half / 4 * c2 * d + d * CLASSES as u64)
            }
        }
    }

    /// f32 values in the largest tensor one image adds to a pass: a layer's output, or a
    /// convolution's unfolded input (3×3 patches of every channel at every position, as an
    /// im2col convolution builds it). A batch multiplies it.
    pub fn largest_tensor_per_image(&self) -> u64 {
        let (pixels, classes) = (PIXELS as u64, CLASSES as u64);
        match self {
            Architecture::Mlp { hidden } => {
                hidden.iter().map(|&w| w as u64).chain([pixels, classes]).max().unwrap_or(0)
            }
            Architecture::Cnn { conv1, conv2, dense } => {
                let (c1, c2, d) = (*conv1 as u64, *conv2 as u64, *dense as u64);
                let (full, half) = ((SIDE * SIDE) as u64, (SIDE * SIDE / 4) as u64);
                [full * 9, full * c1, half * 9 * c1, half * c2, d, classes].into_iter().max().unwrap_or(0)
            }
        }
    }

    /// Images scored at once when evaluating: as many as fit in the memory bound with no tensor
    /// over [`MAX_TENSOR_BYTES`], up to 500.
    pub fn eval_chunk(&self) -> usize {
        let fit = |bound: u64, floats: u64| bound / (4 * floats).max(1);
        let chunk = fit(MAX_STUDENT_BYTES, self.activations_per_image())
            .min(fit(MAX_TENSOR_BYTES, self.largest_tensor_per_image()));
        (chunk as usize).clamp(1, EVAL_CHUNK)
    }
}

/// A student that would cost more than the bounds, with what it would cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostError {
    pub architecture: Architecture,
    pub batch: usize,
    pub bytes: u64,
    pub flops: u64,
    /// The largest batch at which this student fits, if any does.
    pub largest_batch: Option<usize>,
}

impl CostError {
    /// The memory it would need, in MiB, rounded up.
    pub fn mib(&self) -> u64 {
        self.bytes.div_ceil(1 << 20)
    }
}

/// FLOPs as GFLOP with one decimal, as the refusals write them.
pub fn gflop(flops: u64) -> String {
    format!("{:.1}", flops as f64 / 1e9)
}

impl std::fmt::Display for CostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "student {} at batch {} needs about {} MiB and {} GFLOP a step; one student may take {} MiB and {} GFLOP: ",
            self.architecture,
            self.batch,
            self.mib(),
            gflop(self.flops),
            MAX_STUDENT_BYTES >> 20,
            gflop(MAX_STEP_FLOPS)
        )?;
        match self.largest_batch {
            Some(batch) => write!(f, "a batch of {batch} or less fits"),
            None => write!(f, "choose a smaller student"),
        }
    }
}

impl std::error::Error for CostError {}

impl TrainConfig {
    /// Bytes this student takes while it trains at its batch size.
    pub fn training_bytes(&self) -> u64 {
        training_bytes(&self.architecture, self.batch_size)
    }

    /// Floating-point operations of one training step (forward and backward: about three
    /// forward passes).
    pub fn step_flops(&self) -> u64 {
        step_flops(&self.architecture, self.batch_size)
    }

    /// Refuses a student and batch beyond [`MAX_STUDENT_BYTES`] or [`MAX_STEP_FLOPS`], saying
    /// what would fit.
    pub fn check_cost(&self) -> Result<(), CostError> {
        let (bytes, flops) = (self.training_bytes(), self.step_flops());
        if bytes <= MAX_STUDENT_BYTES && flops <= MAX_STEP_FLOPS {
            return Ok(());
        }
        let fits = |batch: usize| {
            training_bytes(&self.architecture, batch) <= MAX_STUDENT_BYTES
                && step_flops(&self.architecture, batch) <= MAX_STEP_FLOPS
        };
        let largest_batch = (1..self.batch_size).rev().find(|&b| fits(b));
        Err(CostError { architecture: self.architecture.clone(), batch: self.batch_size, bytes, flops, largest_batch })
    }
}

fn training_bytes(architecture: &Architecture, batch: usize) -> u64 {
    let parameters = architecture.parameters() as u64 * FLOATS_PER_PARAMETER;
    let activations = architecture.activations_per_image() * FLOATS_PER_ACTIVATION * batch as u64;
    4 * (parameters + activations)
}

fn step_flops(architecture: &Architecture, batch: usize) -> u64 {
    3 * architecture.forward_flops_per_image() * batch as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Mode;

    fn config(student: &str, batch: usize) -> TrainConfig {
        TrainConfig {
            architecture: student.parse().unwrap(),
            mode: Mode::Soft,
            temperature: 2.0,
            alpha: 0.5,
            learning_rate: 1e-2,
            batch_size: batch,
            epochs: 1.0,
            dropout: 0.0,
            jitter: 0,
            budget: None,
            excluded_class: None,
            seed: 1,
            queries: None,
            defence: Default::default(),
        }
    }

    #[test]
    fn the_students_people_train_fit_and_the_ones_that_would_crash_a_tab_do_not() {
        for (student, batch) in [
            ("mlp:100", 64),
            ("mlp:800-800", 128),
            ("mlp:1200-1200", 512),
            ("mlp:800-800", 1024),
            ("cnn:32-64-256", 128),
        ] {
            assert_eq!(config(student, batch).check_cost(), Ok(()), "{student} at batch {batch}");
        }
        // 78k parameters, 12.8 MB of activations per image.
        let wide = config("cnn:4096-1-1", 64).check_cost().unwrap_err();
        assert!(wide.bytes > MAX_STUDENT_BYTES, "{wide}");
        let text = wide.to_string();
        assert!(text.contains("cnn:4096-1-1 at batch 64") && text.contains("256 MiB"), "{text}");
        let fits = wide.largest_batch.expect("a small batch fits");
        assert!(
            config("cnn:4096-1-1", fits).check_cost().is_ok() && config("cnn:4096-1-1", fits + 1).check_cost().is_err()
        );
        // Three million parameters at batch 1024: ~18 GFLOP a step.
        let heavy = config("mlp:2000-700", 1024).check_cost().unwrap_err();
        assert!(heavy.flops > MAX_STEP_FLOPS, "{heavy}");
        let huge = config("mlp:4096-4096-4096-4096", 1).check_cost().unwrap_err();
        assert_eq!(huge.largest_batch, None);
        assert!(huge.to_string().ends_with("choose a smaller student"), "{huge}");
    }

    #[test]
    fn evaluation_chunks_shrink_for_wide_students() {
        assert_eq!("mlp:100".parse::<Architecture>().unwrap().eval_chunk(), 500);
        let wide: Architecture = "cnn:4096-1-1".parse().unwrap();
        let chunk = wide.eval_chunk() as u64;
        assert!(chunk < 500 && chunk * wide.activations_per_image() * 4 <= MAX_STUDENT_BYTES, "{chunk}");
        // The memory bound alone allowed 9 images, whose unfolded input to the second
        // convolution (196 positions × 9 × 4096 channels each) is 260 MB: over a GPU buffer.
        assert_eq!(fit_by_memory_alone(&wide), 9);
        assert_eq!(chunk, 4);
        assert!(chunk * wide.largest_tensor_per_image() * 4 <= MAX_TENSOR_BYTES);
    }

    fn fit_by_memory_alone(architecture: &Architecture) -> u64 {
        MAX_STUDENT_BYTES / (4 * architecture.activations_per_image())
    }

    #[test]
    fn no_student_the_bounds_accept_has_a_tensor_over_a_gpu_buffer() {
        // Training needs no tensor bound of its own: three floats per activation already keep
        // the largest tensor under it. Checked at each student's largest batch.
        let widths = [1, 8, 64, 512, 4096];
        let mut students: Vec<String> = widths.iter().map(|w| format!("mlp:{w}-{w}")).collect();
        for (c1, c2, d) in widths.iter().flat_map(|&a| widths.iter().flat_map(move |&b| widths.map(|c| (a, b, c)))) {
            students.push(format!("cnn:{c1}-{c2}-{d}"));
        }
        let mut checked = 0;
        for student in &students {
            let config = |batch| config(student, batch);
            let largest = config(4096).check_cost().map_or_else(|e| e.largest_batch, |()| Some(4096));
            let Some(batch) = largest else { continue };
            let architecture = &config(batch).architecture;
            let bytes = 4 * architecture.largest_tensor_per_image() * batch as u64;
            assert!(bytes <= MAX_TENSOR_BYTES, "{student} at batch {batch}: {bytes}");
            assert!(4 * architecture.largest_tensor_per_image() * architecture.eval_chunk() as u64 <= MAX_TENSOR_BYTES);
            checked += 1;
        }
        assert!(checked > 80, "{checked} of {} students fit at some batch", students.len());
    }
}
