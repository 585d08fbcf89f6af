#!/usr/bin/python3
# PyTorch anchor for bench/lstm-bench: seed 004's set-up (3 x LSTM(100) + linear projection, 30 steps,
# batch 100, Adam 0.001, MSE, sequence-to-sequence targets shifted by one, random.sample per iteration seeded
# seed + iteration) on the S&P 500 closes, linear trend and z-score fitted before the split date only.
# Prints the training-loop time and the test MSE on the original price scale (one-step, last output).
import csv, datetime, random, sys, time, json
import numpy as np
import torch

path = sys.argv[1] if len(sys.argv) > 1 else "node_modules/vega-datasets/data/sp500-2000.csv"
iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 200
split = sys.argv[3] if len(sys.argv) > 3 else "2015-01-01"
torch.set_num_threads(1)
torch.manual_seed(2017)
n_steps, n_layers, n_units, batch, lr, seed = 30, 3, 100, 100, 0.001, 2017

dates, close = [], []
with open(path) as f:
    for row in csv.DictReader(f):
        dates.append(datetime.date.fromisoformat(row["date"]))
        close.append(float(row["close"]))
close = np.array(close)
days = np.array([(d - dates[0]).days for d in dates], dtype=np.float64)
n_train = sum(1 for d in dates if d < datetime.date.fromisoformat(split))
slope, intercept = np.polyfit(days[:n_train], close[:n_train], 1)
resid = close - (slope * days + intercept)
mean, std = resid[:n_train].mean(), resid[:n_train].std()
z = ((resid - mean) / std).astype(np.float32)
train = z[:n_train]

def make_training_sequences(array, batch_size, n_steps, seed):
    random.seed(seed)
    idx = sorted(random.sample(range(0, len(array) - n_steps - 1), batch_size))
    x = np.stack([array[i:i + n_steps] for i in idx])
    y = np.stack([array[i + 1:i + n_steps + 1] for i in idx])
    return torch.from_numpy(x).unsqueeze(-1), torch.from_numpy(y).unsqueeze(-1)

class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(1, n_units, n_layers, batch_first=True)
        self.proj = torch.nn.Linear(n_units, 1)
    def forward(self, x):
        out, _ = self.lstm(x)
        return self.proj(out)

net = Net()
opt = torch.optim.Adam(net.parameters(), lr=lr)
loss_fn = torch.nn.MSELoss()
start = time.perf_counter()
for it in range(iterations):
    x, y = make_training_sequences(train, batch, n_steps, seed + it)
    opt.zero_grad()
    loss = loss_fn(net(x), y)
    loss.backward()
    opt.step()
    if it % 50 == 0:
        print(it, "MSE", float(loss), file=sys.stderr)
elapsed = time.perf_counter() - start

with torch.no_grad():
    rows = list(range(max(n_train, n_steps), len(z)))
    xs = torch.from_numpy(np.stack([z[t - n_steps:t] for t in rows])).unsqueeze(-1)
    pred_z = net(xs)[:, -1, 0].numpy().astype(np.float64)
pred = pred_z * std + mean + slope * days[rows] + intercept
actual = close[rows]
mse = float(np.mean((pred - actual) ** 2))
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "iterations": iterations,
                  "train_seconds": round(elapsed, 2), "ms_per_iteration": round(1000 * elapsed / iterations, 1),
                  "test_rows": len(rows), "test_mse": round(mse, 2), "test_mse_z": float(np.mean((pred_z - z[rows]) ** 2)),
                  "final_train_mse": float(loss)}))
