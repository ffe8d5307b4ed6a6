"""Writes the model zoo (issue 16 item 3) and the sequence models (issue 17 item 5) into circuits/: small,
seeded PyTorch networks of the families users bring, exported by torch's default (dynamo) exporter and by
the legacy TorchScript exporter, each with input.json and onnxruntime reference outputs.

    python3 bench/models/make_zoo.py [--set zoo|seq|all] [--only name,...] [--check]

Layout (committed): circuits/<set>/<name>/<exporter>/{model.onnx[, model.onnx.data], input.json,
expected_output.json, README.md}, exporter ∈ {dynamo, torchscript}, plus circuits/<set>/models.json (one
entry per folder: parameters, ops, opset, input/output shapes, external data, sha256). When both exporters
write the same graph (same node types in the same order, same weights, no external data) only the dynamo
folder is kept and models.json says so. `--check` regenerates into a temporary folder and fails if any
committed file would change (the generator is deterministic: fixed seeds, deterministic algorithms).

The folders are one level deeper than circuits/<model>/, so tools that glob circuits/*/model.onnx (the
Swift tests, `make bench-peers`' default list) do not pick them up; pass them explicitly, e.g.
`make bench-peers BENCH_PEERS_ARGS="circuits/zoo/*/* circuits/seq/*/*"`.
"""
import argparse
import filecmp
import json
import math
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
sys.path.insert(0, HERE)
import venv_bootstrap  # noqa: E402

GENERATOR = "bench/models/make_zoo.py"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--set", default="all", choices=["zoo", "seq", "all"])
    p.add_argument("--only", help="comma-separated model names")
    p.add_argument("--out", default=os.path.join(ROOT, "circuits"), help="the circuits/ folder to write into")
    p.add_argument("--check", action="store_true", help="regenerate into a temporary folder and compare")
    return p.parse_args()


def definitions():
    """name → (set, seed, constructor, inputs(generator), description). Every constructor re-initialises
    its parameters from the seeded generator (so that, e.g., the two encoder layers that
    nn.TransformerEncoder deep-copies from one layer get different weights, as trained ones would)."""
    import torch
    from torch import nn
    from torch.nn import functional as F

    def reinit(module, generator, gain=1.0):
        """Kaiming-normal weights (fan-in) scaled by `gain`, biases ±0.05, norm scales 1 ± 0.1, embeddings
        N(0, 1); BatchNorm gets calibrated statistics separately."""
        with torch.no_grad():
            for name, p in module.named_parameters():
                leaf = name.rsplit(".", 1)[-1]
                owner = module.get_submodule(name.rsplit(".", 1)[0]) if "." in name else module
                if isinstance(owner, (nn.LayerNorm, nn.BatchNorm1d, nn.BatchNorm2d)):
                    if leaf == "weight":
                        p.copy_(1 + 0.2 * (torch.rand(p.shape, generator=generator) - 0.5))
                    else:
                        p.copy_(0.1 * (torch.rand(p.shape, generator=generator) - 0.5))
                elif isinstance(owner, (nn.Embedding, nn.EmbeddingBag)):
                    p.copy_(torch.randn(p.shape, generator=generator))
                elif p.dim() >= 2:
                    fan_in = p[0].numel()
                    p.copy_(torch.randn(p.shape, generator=generator) * gain * math.sqrt(2.0 / fan_in))
                else:
                    p.copy_(0.1 * (torch.rand(p.shape, generator=generator) - 0.5))
        return module

    def calibrate_batchnorm(model, example, generator):
        """Eval-mode BatchNorm with real statistics: running averages over random batches like `example`."""
        for m in model.modules():
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                m.reset_running_stats()
                m.momentum = None
        model.train()
        with torch.no_grad():
            for _ in range(4):
                model(torch.rand((8,) + tuple(example.shape[1:]), generator=generator))
        model.eval()
        return model

    def uniform(shape, g):
        return torch.round(torch.rand(shape, generator=g) * 1e4) / 1e4

    def series(shape, g):
        """Batch × time × features (or × channels × time, transposed by the caller): phase-shifted sines
        plus noise, 4 decimals."""
        b, t, f = shape
        steps = torch.arange(t, dtype=torch.float32).view(1, t, 1)
        phase = torch.rand((b, 1, f), generator=g) * 6.28
        freq = 0.2 + 0.3 * torch.rand((b, 1, f), generator=g)
        x = torch.sin(steps * freq + phase) + 0.1 * torch.randn((b, t, f), generator=g)
        return torch.round(x * 1e4) / 1e4

    # ---- zoo (issue 16) -----------------------------------------------------------------------------
    class Autoencoder(nn.Module):
        """Conv encoder (stride 2 twice) and ConvTranspose decoder back to the input size; Sigmoid output."""

        def __init__(self):
            super().__init__()
            self.encoder = nn.Sequential(nn.Conv2d(1, 4, 3, stride=2, padding=1), nn.ReLU(),
                                         nn.Conv2d(4, 8, 3, stride=2, padding=1), nn.ReLU())
            self.decoder = nn.Sequential(nn.ConvTranspose2d(8, 4, 4, stride=2, padding=1), nn.ReLU(),
                                         nn.ConvTranspose2d(4, 1, 4, stride=2, padding=1), nn.Sigmoid())

        def forward(self, x):
            return self.decoder(self.encoder(x))

    class Conv1dForecaster(nn.Module):
        """Conv1d (same padding), ReLU, MaxPool1d, dilated Conv1d, ReLU, global average, Dense → next 4 steps."""

        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Conv1d(3, 8, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                      nn.Conv1d(8, 8, 3, padding=2, dilation=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
                                      nn.Flatten(), nn.Linear(8, 4))

        def forward(self, x):
            return self.body(x)

    class MobileNetBlock(nn.Module):
        """MobileNetV2 inverted residual (1×1 expand, 3×3 depthwise, 1×1 project, BatchNorm, ReLU6, skip),
        then a MobileNetV1 depthwise-separable stride-2 block, global average pool, Dense 16→10."""

        def __init__(self):
            super().__init__()
            self.expand = nn.Sequential(nn.Conv2d(8, 16, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU6())
            self.depthwise = nn.Sequential(nn.Conv2d(16, 16, 3, padding=1, groups=16, bias=False), nn.BatchNorm2d(16),
                                           nn.ReLU6())
            self.project = nn.Sequential(nn.Conv2d(16, 8, 1, bias=False), nn.BatchNorm2d(8))
            self.separable = nn.Sequential(nn.Conv2d(8, 8, 3, stride=2, padding=1, groups=8, bias=False), nn.BatchNorm2d(8),
                                           nn.ReLU(), nn.Conv2d(8, 16, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
            self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))

        def forward(self, x):
            x = x + self.project(self.depthwise(self.expand(x)))
            return self.head(self.separable(x))

    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(cout)
            self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)
            self.shortcut = nn.Identity()
            if stride != 1 or cin != cout:
                self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

        def forward(self, x):
            out = F.relu(self.bn1(self.conv1(x)))
            return F.relu(self.bn2(self.conv2(out)) + self.shortcut(x))

    class ResNetSmall(nn.Module):
        """Stem conv + BatchNorm, an identity basic block, a stride-2 block with a 1×1 projection shortcut,
        global average pool, Dense 16→10."""

        def __init__(self):
            super().__init__()
            self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
            self.blocks = nn.Sequential(Block(8, 8, 1), Block(8, 16, 2))
            self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))

        def forward(self, x):
            return self.head(self.blocks(self.stem(x)))

    class BatchMLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4))

        def forward(self, x):
            return self.body(x)

    class EmbeddingBagText(nn.Module):
        """Bag of 12 int64 token ids (vocabulary 64) → EmbeddingBag(mean, dim 16) → Dense 16→4."""

        def __init__(self):
            super().__init__()
            self.embedding = nn.EmbeddingBag(64, 16, mode="mean")
            self.classifier = nn.Linear(16, 4)

        def forward(self, tokens):
            return self.classifier(self.embedding(tokens))

    class EmbeddingMeanText(nn.Module):
        """The same classifier written with nn.Embedding and a mean over the tokens (Gather + ReduceMean in
        ONNX, where EmbeddingBag exports as a Loop)."""

        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(64, 16)
            self.classifier = nn.Linear(16, 4)

        def forward(self, tokens):
            return self.classifier(self.embedding(tokens).mean(dim=1))

    # ---- sequence models (issue 17) -----------------------------------------------------------------
    class RecurrentForecaster(nn.Module):
        """12 steps × 4 features → one-layer LSTM/GRU (hidden 16, batch-first) → last state → Dense 16→1."""

        def __init__(self, cell):
            super().__init__()
            self.rnn = cell(4, 16, batch_first=True)
            self.head = nn.Linear(16, 1)

        def forward(self, x):
            out, _ = self.rnn(x)
            return self.head(out[:, -1, :])

    class TransformerEncoder(nn.Module):
        """2 post-norm encoder layers (d_model 64, 4 heads, feed-forward 64, ReLU, no dropout) on a
        16 × 64 sequence, mean over the sequence, Dense 64→4."""

        def __init__(self):
            super().__init__()
            layer = nn.TransformerEncoderLayer(64, 4, dim_feedforward=64, dropout=0.0, batch_first=True)
            self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
            self.head = nn.Linear(64, 4)

        def forward(self, x):
            return self.head(self.encoder(x).mean(dim=1))

    class CausalSelfAttention(nn.Module):
        """nanoGPT's attention written out (its non-flash path): fused qkv, 4 heads, a lower-triangular
        mask buffer applied with masked_fill(-inf), softmax, output projection."""

        def __init__(self, n_embd, n_head, block_size):
            super().__init__()
            self.c_attn = nn.Linear(n_embd, 3 * n_embd)
            self.c_proj = nn.Linear(n_embd, n_embd)
            self.n_head = n_head
            self.register_buffer("bias", torch.tril(torch.ones(block_size, block_size)).view(1, 1, block_size, block_size))

        def forward(self, x):
            b, t, c = x.size()
            q, k, v = self.c_attn(x).split(c, dim=2)
            q = q.view(b, t, self.n_head, c // self.n_head).transpose(1, 2)
            k = k.view(b, t, self.n_head, c // self.n_head).transpose(1, 2)
            v = v.view(b, t, self.n_head, c // self.n_head).transpose(1, 2)
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
            att = att.masked_fill(self.bias[:, :, :t, :t] == 0, float("-inf"))
            att = F.softmax(att, dim=-1)
            y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
            return self.c_proj(y)

    class NanoGPTBlock(nn.Module):
        """nanoGPT's shape at toy size: token + position embeddings, one pre-norm decoder block (LayerNorm,
        causal self-attention, residual, LayerNorm, MLP 4× with GELU, residual), final LayerNorm, lm_head
        tied to the token embedding. Vocabulary 64, context 16, n_embd 32, 4 heads."""

        def __init__(self, vocab=64, block_size=16, n_embd=32, n_head=4):
            super().__init__()
            self.wte = nn.Embedding(vocab, n_embd)
            self.wpe = nn.Embedding(block_size, n_embd)
            self.ln_1 = nn.LayerNorm(n_embd)
            self.attn = CausalSelfAttention(n_embd, n_head, block_size)
            self.ln_2 = nn.LayerNorm(n_embd)
            self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(), nn.Linear(4 * n_embd, n_embd))
            self.ln_f = nn.LayerNorm(n_embd)
            self.lm_head = nn.Linear(n_embd, vocab, bias=False)

        def tie(self):
            self.lm_head.weight = self.wte.weight  # nanoGPT's weight tying, after re-initialisation
            return self

        def forward(self, idx):
            t = idx.size(1)
            pos = torch.arange(0, t, dtype=torch.long)
            x = self.wte(idx) + self.wpe(pos)
            x = x + self.attn(self.ln_1(x))
            x = x + self.mlp(self.ln_2(x))
            return self.lm_head(self.ln_f(x))

    def with_bn(make, shape):
        def build(g):
            model = reinit(make(), g)
            return calibrate_batchnorm(model, torch.zeros(shape), g)
        return build

    def tokens(shape, vocab):
        return lambda g: (torch.randint(0, vocab, shape, generator=g),)

    return {
        # name: (set, seed, build(generator) → module, inputs(generator) → tuple, description)
        "autoencoder": ("zoo", 1601, lambda g: reinit(Autoencoder(), g), lambda g: (uniform((1, 1, 8, 8), g),),
                        "convolutional autoencoder: Conv 1→4 k3 s2 p1, ReLU, Conv 4→8 k3 s2 p1, ReLU, ConvTranspose "
                        "8→4 k4 s2 p1, ReLU, ConvTranspose 4→1 k4 s2 p1, Sigmoid"),
        "conv1d_forecaster": ("zoo", 1602, lambda g: reinit(Conv1dForecaster(), g),
                              lambda g: (series((1, 32, 3), g).transpose(1, 2).contiguous(),),
                              "Conv1d time-series forecaster: 3 channels × 32 steps, Conv1d 3→8 k5 p2, ReLU, MaxPool1d 2, "
                              "Conv1d 8→8 k3 dilation 2 p2, ReLU, global average, Dense 8→4 (next 4 steps)"),
        "mobilenet_block": ("zoo", 1603, with_bn(MobileNetBlock, (1, 8, 8, 8)), lambda g: (uniform((1, 8, 8, 8), g),),
                            "MobileNet-style blocks: inverted residual (Conv 1×1 8→16, BatchNorm, ReLU6, depthwise Conv "
                            "3×3 groups 16, BatchNorm, ReLU6, Conv 1×1 16→8, BatchNorm, skip Add), depthwise-separable "
                            "stride 2 (depthwise 3×3 groups 8, BatchNorm, ReLU, Conv 1×1 8→16, BatchNorm, ReLU), "
                            "global average pool, Dense 16→10"),
        "resnet_small": ("zoo", 1604, with_bn(ResNetSmall, (1, 3, 16, 16)), lambda g: (uniform((1, 3, 16, 16), g),),
                         "small ResNet: Conv 3→8 + BatchNorm + ReLU, basic block 8→8 (identity skip), basic block "
                         "8→16 stride 2 (Conv 1×1 + BatchNorm projection skip), global average pool, Dense 16→10"),
        "mlp_batch4": ("zoo", 1605, lambda g: reinit(BatchMLP(), g), lambda g: (uniform((4, 16), g),),
                       "batch-4 MLP: 4 samples × 16 features, Dense 16→32, ReLU, Dense 32→4"),
        "embeddingbag_text": ("zoo", 1606, lambda g: reinit(EmbeddingBagText(), g), tokens((1, 12), 64),
                              "text classifier: 12 int64 token ids (vocabulary 64), EmbeddingBag mean dim 16, Dense 16→4"),
        "embedding_mean_text": ("zoo", 1607, lambda g: reinit(EmbeddingMeanText(), g), tokens((1, 12), 64),
                                "text classifier: 12 int64 token ids (vocabulary 64), Embedding dim 16, mean over "
                                "tokens, Dense 16→4"),
        "lstm_forecaster": ("seq", 1701, lambda g: reinit(RecurrentForecaster(nn.LSTM), g, gain=0.5),
                            lambda g: (series((1, 12, 4), g),),
                            "LSTM forecaster: 12 steps × 4 features (batch-first), LSTM hidden 16, last step, Dense 16→1"),
        "gru_forecaster": ("seq", 1702, lambda g: reinit(RecurrentForecaster(nn.GRU), g, gain=0.5),
                           lambda g: (series((1, 12, 4), g),),
                           "GRU forecaster: 12 steps × 4 features (batch-first), GRU hidden 16, last step, Dense 16→1"),
        "transformer_encoder": ("seq", 1703, lambda g: reinit(TransformerEncoder(), g, gain=0.5),
                                lambda g: (torch.round(torch.randn((1, 16, 64), generator=g) * 1e4) / 1e4,),
                                "transformer encoder: 2 post-norm layers (d_model 64, 4 heads, feed-forward 64, ReLU, "
                                "LayerNorm), sequence 16, mean over the sequence, Dense 64→4"),
        "nanogpt_block": ("seq", 1704, lambda g: reinit(NanoGPTBlock(), g, gain=0.5).tie(), tokens((1, 16), 64),
                          "nanoGPT-shaped decoder: token + position embeddings (vocabulary 64, context 16, n_embd 32), "
                          "pre-norm block with 4-head causal self-attention (tril mask, masked_fill -inf, Softmax) and "
                          "GELU MLP 32→128→32, final LayerNorm, lm_head tied to the token embedding; logits for all "
                          "16 positions"),
    }


def same_graph(a: str, b: str) -> bool:
    """The two exports are the same network: same node types in order, same weight values, inline data."""
    import onnx
    from onnx import numpy_helper
    from export_common import external_data_files
    if external_data_files(os.path.join(a, "model.onnx")) or external_data_files(os.path.join(b, "model.onnx")):
        return False
    ma, mb = onnx.load(os.path.join(a, "model.onnx")), onnx.load(os.path.join(b, "model.onnx"))
    if [n.op_type for n in ma.graph.node] != [n.op_type for n in mb.graph.node]:
        return False
    wa = sorted((numpy_helper.to_array(t).tobytes() for t in ma.graph.initializer))
    wb = sorted((numpy_helper.to_array(t).tobytes() for t in mb.graph.initializer))
    return wa == wb


def generate(out_root: str, wanted_set: str, only) -> dict:
    import torch
    from export_common import EXPORTERS, build_folder, remove_folder, seed_everything
    manifests = {}
    for name, (set_name, seed, build, make_inputs, description) in definitions().items():
        if (wanted_set != "all" and set_name != wanted_set) or (only and name not in only):
            continue
        seed_everything(seed)
        g = torch.Generator().manual_seed(seed)
        model = build(g).eval()
        args = make_inputs(g)
        entry = {"description": description, "seed": seed, "exports": {}}
        for exporter in EXPORTERS:
            folder = os.path.join(out_root, set_name, name, exporter)
            facts = build_folder(name, folder, model, args, exporter, seed, description, GENERATOR)
            entry["exports"][exporter] = {k: facts[k] for k in ("opset", "ops", "external_data", "bytes", "sha256",
                                                                 "inputs", "outputs", "ort_vs_torch_max_abs")}
            entry["params"] = facts["params"]
        dynamo, legacy = (os.path.join(out_root, set_name, name, e) for e in EXPORTERS)
        if same_graph(dynamo, legacy):
            remove_folder(legacy)
            entry["exports"]["torchscript"] = {"same_as": "dynamo"}
        print(f"{set_name}/{name}: {entry['params']:,} params; "
              + "; ".join(f"{e} opset {f.get('opset')} {'/'.join(f.get('ops', []))}"
                          + (f" + {', '.join(f['external_data'])}" if f.get("external_data") else "")
                          + (" (same graph as dynamo: not kept)" if f.get("same_as") else "")
                          for e, f in entry["exports"].items()), flush=True)
        manifests.setdefault(set_name, {})[name] = entry
    for set_name, models in manifests.items():
        path = os.path.join(out_root, set_name, "models.json")
        existing = {}
        if os.path.exists(path) and only:
            existing = json.load(open(path, encoding="utf-8")).get("models", {})
        existing.update(models)
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"generator": GENERATOR, "torch": torch.__version__, "models": dict(sorted(existing.items()))},
                      f, indent=1, ensure_ascii=False)
            f.write("\n")
    return manifests


def compare_trees(expected: str, actual: str) -> list:
    """Files that differ, are missing or are extra between two folders (recursively)."""
    problems = []
    comparison = filecmp.dircmp(expected, actual)
    problems += [os.path.join(expected, n) + " missing from the regeneration" for n in comparison.left_only]
    problems += [os.path.join(expected, n) + " would be added" for n in comparison.right_only]
    problems += [os.path.join(expected, n) + " differs" for n in comparison.diff_files]
    _, mismatch, errors = filecmp.cmpfiles(expected, actual, comparison.common_files, shallow=False)
    problems += [os.path.join(expected, n) + " differs" for n in mismatch + errors if os.path.join(expected, n) + " differs" not in problems]
    for sub in comparison.common_dirs:
        problems += compare_trees(os.path.join(expected, sub), os.path.join(actual, sub))
    return problems


def main():
    venv_bootstrap.ensure_venv()
    args = parse_args()
    only = set(args.only.split(",")) if args.only else None
    if args.check:
        with tempfile.TemporaryDirectory(prefix="zoo-check-") as tmp:
            made = generate(tmp, args.set, only)
            problems = []
            for set_name in made:
                problems += compare_trees(os.path.join(args.out, set_name), os.path.join(tmp, set_name))
            if problems:
                print("\n".join(problems))
                return 1
            print("committed files match the generator")
            return 0
    generate(args.out, args.set, only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
