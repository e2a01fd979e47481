"""Exports energies from PyTorch as TorchScript for `ebmc sample --target torchscript:path=FILE`.

Run with Debian's python3-torch (the same 1.13 as libtorch-dev):

    python3 examples/torchscript/export_energy.py examples/torchscript

It writes the fixtures the tests load:
  banana.pt        scripted, float64, returns U = -log p, exports dim() -> 2
  mixture_logp.pt  traced, float32, returns log p (use sign=logp,dim=2)
  wrong_shape.pt   returns [B, 2] instead of [B] (refused with a clear error)
  wrong_dtype.pt   returns int64 energies (refused with a clear error)
  bernoulli_logp.pt     binary states [B, 5]: log p = sum_i b_i x_i (independent sites)
  categorical_logp.pt   one-hot states [B, 3, 4]: log p = sum_ik W_ik x_ik
Use the discrete ones with `torchscript:path=FILE,kind=binary` or `kind=categorical,k=4`.
And the hostile ones the checks of `ebmc sample` are tested on:
  wide_gaussian.pt  U = x'x / (2 1e16): a proper Gaussian with sd 1e8 (in large units)
  improper.pt       U = -x'x: unbounded below (improper)
  detached.pt       U computed from x.detach(): the gradient is zero everywhere
  in_place.pt       doubles its input in place before computing U = x'x / 2
  half_line.pt      U = sum(x) for x > 0, +inf elsewhere (exponential on the positive orthant)
"""
import sys

import torch


class Banana(torch.nn.Module):
    """Haario's twisted Gaussian (ebmc's `banana`): U = x1^2 / 200 + (x2 - b (x1^2 - 100))^2 / 2."""

    def __init__(self, b: float = 0.1):
        super().__init__()
        self.b = b

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x1, x2 = x[:, 0], x[:, 1]
        return x1 ** 2 / 200.0 + 0.5 * (x2 - self.b * (x1 ** 2 - 100.0)) ** 2

    @torch.jit.export
    def dim(self) -> int:
        return 2


class MixtureLogp(torch.nn.Module):
    """log density of an equal mixture of N((-2, 0), I) and N((2, 0), I), up to a constant."""

    def __init__(self):
        super().__init__()
        self.means = torch.nn.Parameter(torch.tensor([[-2.0, 0.0], [2.0, 0.0]]), requires_grad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        d = x.unsqueeze(1) - self.means.unsqueeze(0)
        return torch.logsumexp(-0.5 * (d ** 2).sum(-1), dim=1)


class WrongShape(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.stack([x.sum(1), x.sum(1)], 1)

    @torch.jit.export
    def dim(self) -> int:
        return 3


class WrongDtype(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x ** 2).sum(1).long()

    @torch.jit.export
    def dim(self) -> int:
        return 3


class BernoulliLogp(torch.nn.Module):
    """Independent binary sites: p(x_i = 1) = sigmoid(b_i)."""

    def __init__(self):
        super().__init__()
        self.b = torch.tensor([-1.5, -0.5, 0.0, 0.7, 2.0], dtype=torch.float64)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x * self.b).sum(1)

    @torch.jit.export
    def dim(self) -> int:
        return 5


class CategoricalLogp(torch.nn.Module):
    """Independent categorical sites: p(x_i = k) = softmax(W_i)_k."""

    def __init__(self):
        super().__init__()
        self.w = torch.tensor([[0.0, 1.0, -1.0, 0.5], [2.0, 0.0, 0.0, 0.0], [-0.5, -0.5, 1.5, 0.0]],
                              dtype=torch.float64)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x * self.w).sum(2).sum(1)

    @torch.jit.export
    def dim(self) -> int:
        return 3


class WideGaussian(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x ** 2).sum(1) / (2.0 * 1e16)

    @torch.jit.export
    def dim(self) -> int:
        return 2


class Improper(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return -(x ** 2).sum(1)

    @torch.jit.export
    def dim(self) -> int:
        return 2


class Detached(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return 0.5 * (x.detach() ** 2).sum(1)

    @torch.jit.export
    def dim(self) -> int:
        return 2


class InPlace(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x.mul_(2.0)
        return 0.125 * (x ** 2).sum(1)

    @torch.jit.export
    def dim(self) -> int:
        return 2


class HalfLine(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        inside = (x > 0).all(1)
        return torch.where(inside, x.sum(1), torch.full_like(x[:, 0], float("inf")))

    @torch.jit.export
    def dim(self) -> int:
        return 3


def main(folder: str) -> None:
    torch.jit.save(torch.jit.script(Banana().double()), f"{folder}/banana.pt")
    torch.jit.save(torch.jit.trace(MixtureLogp(), torch.zeros(4, 2)), f"{folder}/mixture_logp.pt")
    torch.jit.save(torch.jit.script(WrongShape()), f"{folder}/wrong_shape.pt")
    torch.jit.save(torch.jit.script(WrongDtype()), f"{folder}/wrong_dtype.pt")
    torch.jit.save(torch.jit.script(BernoulliLogp()), f"{folder}/bernoulli_logp.pt")
    torch.jit.save(torch.jit.script(CategoricalLogp()), f"{folder}/categorical_logp.pt")
    for name, module in [("wide_gaussian", WideGaussian()), ("improper", Improper()),
                         ("detached", Detached()), ("in_place", InPlace()),
                         ("half_line", HalfLine())]:
        torch.jit.save(torch.jit.script(module), f"{folder}/{name}.pt")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
