//! A digit drawn on a canvas, made to look like an MNIST image: the ink's bounding box scaled to
//! fit 20×20 pixels, then moved so its centre of mass sits at the centre of the 28×28 frame —
//! the preprocessing MNIST's own digits went through. Without it a student trained on MNIST
//! misreads a perfectly clear digit drawn off-centre or large.

use distill_spec::{PIXELS, SIDE};

const BOX: f64 = 20.0;

/// `ink` is a `side × side` image (0 = paper, 255 = ink); returns 784 MNIST-like pixels.
pub fn to_mnist(ink: &[u8], side: usize) -> Vec<u8> {
    let lit = |x: usize, y: usize| ink[y * side + x] > 10;
    let (mut x0, mut y0, mut x1, mut y1) = (side, side, 0, 0);
    for y in 0..side {
        for x in 0..side {
            if lit(x, y) {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
            }
        }
    }
    let mut out = vec![0.0f64; PIXELS];
    if x0 >= x1 {
        return vec![0; PIXELS];
    }
    let scale = BOX / (x1 - x0).max(y1 - y0) as f64;
    let (w, h) = (((x1 - x0) as f64 * scale).ceil() as usize, ((y1 - y0) as f64 * scale).ceil() as usize);
    let (left, top) = ((SIDE - w) / 2, (SIDE - h) / 2);
    // Each target pixel averages the source pixels its area covers (at least the nearest one).
    for ty in 0..h {
        for tx in 0..w {
            let span = |t: usize, start: usize, end: usize| {
                let a = (start as f64 + t as f64 / scale).floor() as usize;
                let b = ((start as f64 + (t + 1) as f64 / scale).ceil() as usize).clamp(a + 1, end.max(a + 1));
                (a.min(end - 1), b.min(end))
            };
            let ((sx0, sx1), (sy0, sy1)) = (span(tx, x0, x1), span(ty, y0, y1));
            let mut sum = 0.0;
            for y in sy0..sy1 {
                for x in sx0..sx1 {
                    sum += ink[y * side + x] as f64;
                }
            }
            out[(top + ty) * SIDE + left + tx] = sum / ((sx1 - sx0) * (sy1 - sy0)) as f64;
        }
    }
    centre(&out)
}

/// Shifts the image so its centre of mass lands on the middle pixel; ink pushed off the edge is lost.
fn centre(image: &[f64]) -> Vec<u8> {
    let mass: f64 = image.iter().sum();
    let (mut cx, mut cy) = (0.0, 0.0);
    for (i, v) in image.iter().enumerate() {
        cx += (i % SIDE) as f64 * v;
        cy += (i / SIDE) as f64 * v;
    }
    let middle = (SIDE - 1) as f64 / 2.0;
    let (dx, dy) = ((middle - cx / mass).round() as isize, (middle - cy / mass).round() as isize);
    let mut out = vec![0u8; PIXELS];
    for (i, v) in image.iter().enumerate() {
        let (x, y) = ((i % SIDE) as isize + dx, (i / SIDE) as isize + dy);
        if (0..SIDE as isize).contains(&x) && (0..SIDE as isize).contains(&y) {
            out[y as usize * SIDE + x as usize] = v.round().clamp(0.0, 255.0) as u8;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_off_centre_stroke_is_scaled_and_centred() {
        let side = 200;
        let mut ink = vec![0u8; side * side];
        for y in 10..110 {
            for x in 5..25 {
                ink[y * side + x] = 255; // a thick bar in the top-left corner
            }
        }
        let image = to_mnist(&ink, side);
        let rows: Vec<usize> = (0..SIDE).filter(|y| image[y * SIDE..(y + 1) * SIDE].iter().any(|&v| v > 0)).collect();
        let cols: Vec<usize> = (0..SIDE).filter(|x| (0..SIDE).any(|y| image[y * SIDE + x] > 0)).collect();
        assert_eq!(rows.len(), 20, "the long side fills the 20-pixel box: {rows:?}");
        assert_eq!((rows[0], rows[19]), (4, 23), "vertically centred");
        assert!(cols.len() == 4 && cols.contains(&13) && cols.contains(&14), "horizontally centred: {cols:?}");
        assert!(image.iter().all(|&v| v == 0 || v == 255), "solid ink stays solid");
    }

    #[test]
    fn a_tiny_dot_and_an_empty_canvas() {
        let mut ink = vec![0u8; 28 * 28];
        ink[0] = 200;
        let image = to_mnist(&ink, 28);
        assert_eq!(image.iter().filter(|&&v| v > 0).count(), 400, "a dot is blown up to the 20×20 box");
        assert_eq!(to_mnist(&[0; 100], 10), vec![0; PIXELS]);
    }
}
