// Gauss–Legendre quadrature, used where a continued fraction is numerically poor: the Student t
// distribution with many degrees of freedom, whose incomplete-beta continued fraction loses digits to
// cancellation as df grows.

const ORDER = 20;

// Nodes and weights on [−1, 1], found once by Newton's method on the Legendre polynomial P_n
// (three-term recurrence), starting from the usual cosine estimates of its roots.
const { nodes, weights } = (() => {
  const x = new Float64Array(ORDER);
  const w = new Float64Array(ORDER);
  for (let i = 0; i < ORDER; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (ORDER + 0.5));
    let derivative = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = z;
      for (let k = 2; k <= ORDER; k++) {
        const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      derivative = (ORDER * (z * p1 - p0)) / (z * z - 1);
      const dz = p1 / derivative;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    x[i] = z;
    w[i] = 2 / ((1 - z * z) * derivative * derivative);
  }
  return { nodes: x, weights: w };
})();

/** ∫ f over [a, b] by one 20-point Gauss–Legendre panel (exact for polynomials up to degree 39). */
export function gaussLegendre(f: (x: number) => number, a: number, b: number): number {
  const mid = (a + b) / 2;
  const half = (b - a) / 2;
  let sum = 0;
  for (let i = 0; i < ORDER; i++) sum += (weights[i] as number) * f(mid + half * (nodes[i] as number));
  return sum * half;
}
