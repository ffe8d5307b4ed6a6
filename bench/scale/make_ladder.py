"""Writes the scale ladder (issue 15 item 7): six seeded PyTorch networks from 62k to 11.2M parameters,
each exported by both of torch's ONNX exporters, with input.json and onnxruntime reference outputs.

    python3 bench/scale/make_ladder.py [--out bench/scale/models] [--only lenet5,resnet18_cifar] [--force]

Output (generated, git-ignored: ~110 MB): <out>/<exporter>/<model>/{model.onnx[, model.onnx.data],
input.json, expected_output.json, README.md} for exporter in torchscript, dynamo, and <out>/ladder.json (the
facts: parameters, ops, opset, sha256). A second run does nothing while ladder.json records the same
generator (the hash of this file and export_common.py); --force rebuilds.

Which file ZKInfer reads: `make bench-scale` uses the torchscript exports by default (one self-contained
file, BatchNormalization already folded into the convolutions: what ZKInfer's importer accepts today,
since it refuses external data); `--exporter dynamo` runs the default exporter's files (opset 18+, weights
in model.onnx.data). See bench/scale/README.md.
"""
import argparse
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
sys.path.insert(0, os.path.join(BENCH, "models"))
import venv_bootstrap  # noqa: E402

DEFAULT_OUT = os.path.join(HERE, "models")
GENERATOR = "bench/scale/make_ladder.py"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default=DEFAULT_OUT)
    p.add_argument("--only", help="comma-separated model names (default: all)")
    p.add_argument("--exporters", default="torchscript,dynamo")
    p.add_argument("--force", action="store_true", help="rebuild even when ladder.json records this generator")
    return p.parse_args()


def generator_hash() -> str:
    digest = hashlib.sha256()
    for path in (os.path.abspath(__file__), os.path.join(BENCH, "models", "export_common.py")):
        digest.update(open(path, "rb").read())
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------------------
# The networks. Weights: Kaiming-normal (fan-in, ReLU gain) so that activations keep unit scale through deep
# stacks (PyTorch's default init shrinks them by ~√3 per layer, which would make a 12-layer output ~0 and
# every fixed-point comparison meaningless); biases uniform ±0.05.

def build_models():
    import torch
    from torch import nn

    def init_weights(module):
        for m in module.modules():
            if isinstance(m, (nn.Linear, nn.Conv2d)):
                nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.uniform_(m.bias, -0.05, 0.05)
        return module

    class LeNet5(nn.Module):
        """LeCun et al. 1998 in its common modern form: ReLU and MaxPool; 32×32 grey input; 61,706 params."""

        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
                                          nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
            self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                                            nn.Linear(84, 10))

        def forward(self, x):
            return self.classifier(self.features(x))

    def mlp(widths):
        layers = []
        for i, (a, b) in enumerate(zip(widths, widths[1:])):
            layers.append(nn.Linear(a, b))
            if i < len(widths) - 2:
                layers.append(nn.ReLU())
        return nn.Sequential(*layers)

    class CifarCNN(nn.Module):
        """3 × (conv 3×3 same, ReLU, MaxPool 2) + 2 dense on a 3×32×32 input; 155,690 params."""

        def __init__(self):
            super().__init__()
            blocks = []
            for cin, cout in ((3, 32), (32, 64), (64, 64)):
                blocks += [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
            self.features = nn.Sequential(*blocks)
            self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(64 * 4 * 4, 96), nn.ReLU(), nn.Linear(96, 10))

        def forward(self, x):
            return self.classifier(self.features(x))

    class BasicBlock(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(cout)
            self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)
            self.shortcut = nn.Sequential()
            if stride != 1 or cin != cout:
                self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

        def forward(self, x):
            out = torch.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            return torch.relu(out + self.shortcut(x))

    class ResNet18Cifar(nn.Module):
        """He et al. 2016's ResNet-18 in the CIFAR-10 form (3×3 stem, no max-pool, stages 64/128/256/512 of
        two basic blocks, 4×4 average pool, linear 512→10); 11,173,962 params."""

        def __init__(self):
            super().__init__()
            self.stem = nn.Sequential(nn.Conv2d(3, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU())
            layers, cin = [], 64
            for cout, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
                layers += [BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1)]
                cin = cout
            self.layers = nn.Sequential(*layers)
            self.head = nn.Sequential(nn.AvgPool2d(4), nn.Flatten(), nn.Linear(512, 10))

        def forward(self, x):
            return self.head(self.layers(self.stem(x)))

    def calibrate_batchnorm(model, shape, generator):
        """Running statistics from forward passes on random inputs (train mode, cumulative average), then a
        random affine part, so that eval-mode BatchNorm is a real, non-identity scale and shift that folding
        has to get right."""
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.reset_running_stats()
                m.momentum = None
        model.train()
        with torch.no_grad():
            for _ in range(4):
                model(torch.rand((8,) + shape[1:], generator=generator))
            for m in model.modules():
                if isinstance(m, nn.BatchNorm2d):
                    m.weight.uniform_(0.8, 1.2, generator=generator)
                    m.bias.uniform_(-0.1, 0.1, generator=generator)
        model.eval()

    # name: (seed, constructor, input shape, description)
    return {
        "lenet5": (1501, lambda: init_weights(LeNet5()), (1, 1, 32, 32),
                   "LeNet-5: Conv 1→6 k5, ReLU, MaxPool 2, Conv 6→16 k5, ReLU, MaxPool 2, Dense 400→120→84→10 (ReLU)"),
        "dense12x256": (1502, lambda: init_weights(mlp([256] * 13 + [10])), (1, 256),
                        "12 × (Dense 256→256, ReLU), Dense 256→10"),
        "mlp784_1024": (1503, lambda: init_weights(mlp([784, 1024, 1024, 10])), (1, 784),
                        "MLP 784→1024→1024→10 (ReLU)"),
        "cifar_cnn": (1504, lambda: init_weights(CifarCNN()), (1, 3, 32, 32),
                      "CIFAR CNN: 3 × (Conv 3×3 same, ReLU, MaxPool 2) with 32/64/64 channels, Dense 1024→96, ReLU, Dense 96→10"),
        "dense4m": (1505, lambda: init_weights(mlp([4] + [1000] * 5 + [3])), (1, 4),
                    "Dense-4M (DeepProve's shape): Dense 4→1000, 4 × Dense 1000→1000, Dense 1000→3 (ReLU)"),
        "resnet18_cifar": (1506, lambda: init_weights(ResNet18Cifar()), (1, 3, 32, 32),
                           "ResNet-18 for CIFAR-10: 3×3 stem, 4 stages × 2 basic blocks (64/128/256/512), BatchNorm "
                           "(eval mode, random calibrated statistics), AvgPool 4, Dense 512→10"),
    }, calibrate_batchnorm


def main():
    venv_bootstrap.ensure_venv()
    args = parse_args()
    import torch
    from export_common import build_folder, seed_everything

    models, calibrate_batchnorm = build_models()
    only = set(args.only.split(",")) if args.only else None
    if only and only - set(models):
        raise SystemExit(f"unknown model(s): {', '.join(sorted(only - set(models)))}; known: {', '.join(models)}")
    exporters = [e for e in args.exporters.split(",") if e]
    stamp_path = os.path.join(args.out, "ladder.json")
    wanted = generator_hash()
    stamp = {}
    if os.path.exists(stamp_path):
        try:
            stamp = json.load(open(stamp_path, encoding="utf-8"))
        except ValueError:
            stamp = {}
    if stamp.get("generator_sha256") != wanted:
        stamp = {"generator_sha256": wanted, "models": {}}
    os.makedirs(args.out, exist_ok=True)
    for name, (seed, make, shape, description) in models.items():
        if only and name not in only:
            continue
        done = stamp["models"].get(name, {})
        todo = [e for e in exporters if args.force or e not in done
                or not os.path.isfile(os.path.join(args.out, e, name, "model.onnx"))]
        if not todo:
            print(f"{name}: up to date")
            continue
        seed_everything(seed)
        generator = torch.Generator().manual_seed(seed)
        model = make()
        if any(isinstance(m, torch.nn.BatchNorm2d) for m in model.modules()):
            calibrate_batchnorm(model, shape, generator)
        model.eval()
        x = torch.round(torch.rand(shape, generator=generator) * 1e4) / 1e4  # 4 decimals: exact in input.json
        for exporter in todo:
            folder = os.path.join(args.out, exporter, name)
            facts = build_folder(name, folder, model, (x,), exporter, seed, description, GENERATOR)
            done[exporter] = {k: facts[k] for k in ("params", "opset", "ops", "external_data", "bytes", "sha256",
                                                     "inputs", "outputs", "ort_vs_torch_max_abs")}
            print(f"{name} ({exporter}): {facts['params']:,} params, opset {facts['opset']}, "
                  f"{facts['bytes'] / 1e6:.1f} MB, ops {'/'.join(facts['ops'])}"
                  + (f", external data {facts['external_data']}" if facts["external_data"] else ""), flush=True)
        stamp["models"][name] = dict(done, description=description, seed=seed)
        with open(stamp_path, "w", encoding="utf-8") as f:
            json.dump(stamp, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
