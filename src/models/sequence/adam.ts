// Adam over Float32Array parameters (Kingma & Ba; the defaults of TF's AdamOptimizer and torch.optim.Adam).

export class Adam {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private step = 0;

  constructor(
    private readonly params: Float32Array[],
    private readonly lr = 0.001,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.m = params.map((p) => new Float32Array(p.length));
    this.v = params.map((p) => new Float32Array(p.length));
  }

  /** One update in place from gradients laid out like the parameters. */
  update(grads: readonly Float32Array[]): void {
    this.step++;
    const { beta1: b1, beta2: b2, epsilon } = this;
    const stepSize = (this.lr * Math.sqrt(1 - b2 ** this.step)) / (1 - b1 ** this.step);
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k];
      const g = grads[k];
      const m = this.m[k];
      const v = this.v[k];
      for (let i = 0; i < p.length; i++) {
        const gi = g[i];
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        p[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) + epsilon);
      }
    }
  }
}
