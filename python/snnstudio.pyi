"""SNN Studio's engine in Python (docs/python.md). Typing stubs of the snnstudio extension."""

from typing import Any, Callable, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

ArrayLike = npt.ArrayLike
# A data set name or path as snnc's --data takes it, or (x [n, features] in [0, 1], y [n]).
Data = Union[str, Tuple[ArrayLike, ArrayLike]]
# Called as work goes on; raising in it stops the work and the exception propagates.
Progress = Optional[Callable[[float, str], Any]]

class LayerNode:
    """A fully connected layer of spiking neurons.

    Built by the user: the arrays are copied in. Read from SNNGraph.layers: the arrays are views
    of the graph's memory (no copy) and keep the graph alive.
    """

    def __init__(self, name: str, n_inputs: int, n_neurons: int, weights: ArrayLike,
                 firing_rates: Optional[ArrayLike] = None, bias: Optional[ArrayLike] = None, *,
                 neuron_type: str = "LIF", threshold: float = 1.0, beta: Optional[float] = None,
                 reset: str = "subtract", spiking: bool = True,
                 source: Optional[str] = None, alpha: float = 0.0, firing: str = "above",
                 initial_membrane: float = 0.0) -> None:
        """weights: [n_neurons, n_inputs] or [n_inputs, n_neurons] (a square matrix is
        [n_neurons, n_inputs]); a mismatch is a ValueError naming the layer and both shapes.
        source: an earlier layer's name, 'input', or None for the previous layer of the chain.
        neuron_type: 'LIF', 'IF' or 'CubaLIF' (alpha: its synaptic current's decay); firing:
        'above' (v > threshold) or 'at-or-above' (v >= threshold, Sinabs's)."""
    @property
    def name(self) -> str: ...
    @property
    def n_inputs(self) -> int: ...
    @property
    def n_neurons(self) -> int: ...
    @property
    def source(self) -> Optional[str]: ...
    @property
    def weights(self) -> npt.NDArray[np.float32]:
        """[n_neurons, n_inputs], a view: writing to it changes the layer."""
    @property
    def bias(self) -> Optional[npt.NDArray[np.float32]]: ...
    @property
    def firing_rates(self) -> Optional[npt.NDArray[np.float32]]: ...
    @property
    def neuron_type(self) -> str: ...
    @property
    def threshold(self) -> float: ...
    @property
    def beta(self) -> float: ...
    @property
    def reset(self) -> str: ...
    @property
    def spiking(self) -> bool: ...
    @property
    def alpha(self) -> float: ...
    @property
    def firing(self) -> str: ...
    @property
    def initial_membrane(self) -> float: ...
    @property
    def neuron_values(self) -> dict[str, npt.NDArray[np.float32]]:
        """Each neuron's beta, threshold, alpha and initial_membrane (copies)."""
    @property
    def total_params(self) -> int: ...

class LayerList(Sequence[LayerNode]):
    """An SNNGraph's layers, read-only: append, insert, remove and the like raise TypeError
    (build a new SNNGraph(list(graph.layers) + [layer]) instead)."""
    def __len__(self) -> int: ...
    def __getitem__(self, index: int) -> LayerNode: ...  # type: ignore[override]
    def __add__(self, other: Sequence[LayerNode]) -> list[LayerNode]: ...

class SNNGraph:
    def __init__(self, layers: Sequence[LayerNode], input_size: Optional[int] = None) -> None:
        """Copies the layers in (a chain unless a layer names its source); ValueError naming the
        first problem."""
    @property
    def layers(self) -> LayerList: ...
    @property
    def dt(self) -> Optional[float]:
        """The time step (s) the graph was imported with from NIR, or None."""
    @property
    def input_shape(self) -> Optional[list[int]]:
        """The input's shape before its Flatten (NIR image input), or None."""
    @property
    def input_size(self) -> int: ...
    @property
    def total_params(self) -> int: ...
    @property
    def total_neurons(self) -> int: ...
    @property
    def outputs(self) -> list[str]: ...
    def layer(self, name: str) -> LayerNode: ...
    def save(self, path: str, dt: Optional[float] = None) -> None:
        """NIR when path ends in .nir (dt None: the graph's own, else 1e-4), else SNN Studio's
        HDF5 graph file; all or nothing (OSError with the system's reason when the write fails,
        the previous file left as it was)."""
    def copy(self) -> SNNGraph: ...
    def __len__(self) -> int: ...

class GraphSize:
    params: int
    neurons: int
    layers: int

class AccuracyChange:
    before: float
    after: float
    agreement: float
    samples: int
    how: str

class LayerChange:
    layer: str
    neurons_before: int
    neurons_after: int
    removed: int
    merged: int
    groups: int
    never_fired: int
    skipped: int  # changes left out: not exact on the deployed core
    fused_into: str

class PassReport:
    name: str
    before: GraphSize
    after: GraphSize
    neurons_removed: int
    neurons_merged: int
    layers_fused: int
    layers: list[LayerChange]
    notes: list[str]
    warnings: list[str]
    accuracy: Optional[AccuracyChange]
    skipped: int  # changes left out: not exact on the deployed core (the notes say why)
    core: dict[int, AccuracyChange]  # the core's accuracy before / after this pass, by width
    hardware: Optional[dict[str, Any]]  # the hardware figures after this pass

class Report:
    passes: list[str]
    before: GraphSize
    after: GraphSize
    params_before: int
    params_after: int
    neurons_before: int
    neurons_after: int
    compression_ratio: float
    dead_neurons_removed: int
    redundant_pairs_merged: int
    layers_fused: int
    pass_reports: list[PassReport]
    pass_results: list[PassReport]  # pass_reports under the seed tutorial's name
    accuracy: Optional[AccuracyChange]
    hardware: Optional[dict[str, Any]]  # {'before', 'after', 'after_same_configuration'}
    def summary(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

class SweepFigures:
    params: int
    neurons: int
    layers: int
    estimate: Optional[Estimate]
    not_estimated: str
    accuracy: Optional[float]
    hardware: Optional[dict[str, Any]]  # cycles_per_inference, latency_ms, weight_kbit, ...

class SweepPoint:
    value: float
    figures: SweepFigures
    report: Report

class SweepResult:
    parameter: str
    board: str
    weight_bits: int
    lanes: int
    before: SweepFigures
    points: list[SweepPoint]
    def to_dict(self) -> dict[str, Any]: ...
    def to_csv(self) -> str: ...

class Activity:
    samples: int
    steps: int
    accuracy: float
    rates: list[Optional[npt.NDArray[np.float32]]]
    output_counts: npt.NDArray[np.float32]
    predictions: npt.NDArray[np.int32]

class Estimate:
    logic_cells: int
    ebr: int
    spram: int
    weight_bits: int
    fits: bool
    weights_in_spram: bool
    message: str

class QuantLayer:
    """One layer in the integer domain: values in units of 1/scale of the float model."""
    name: str
    scale: float
    weights: npt.NDArray[np.int32]  # [n_neurons, n_inputs], a copy
    bias: npt.NDArray[np.int32]  # [n_neurons], a copy (zeros when the layer has none)
    threshold: int
    leak_shift: int  # 0: no leak (IF); k >= 1: v -= v >> k
    reset: str

class QuantizedNetwork:
    layers: list[QuantLayer]
    bits: int
    membrane_bits: int
    steps: int
    input_size: int
    graph: SNNGraph  # the float graph on the integers' grid; quantising it gives them back

class FlowReport:
    logic_cells: int
    logic_cells_available: int
    ebr: int
    ebr_available: int
    spram: int
    spram_available: int
    fmax_mhz: float
    target_mhz: float
    timing_met: bool
    bitstream: str
    bitstream_bytes: int
    clock: str  # "45 MHz by the PLL (auto: the highest standard clock 10% below ...)"
    def to_dict(self) -> dict[str, Any]: ...

class PipelineResult:
    summary: str  # "Pipeline: Firing rates: ... (done, 4.1 s); Passes: ..."
    stages: list[dict[str, Any]]  # per stage: stage, name, state, seconds, result
    graph: Optional[SNNGraph]  # the optimised (and fine-tuned) graph: optimized.h5
    report: Optional[Report]  # the optimisation report
    flow: Optional[FlowReport]  # None without Build
    def to_dict(self) -> dict[str, Any]:
        """report.json as a dict."""

def load(path: str, dt: Optional[float] = None) -> SNNGraph:
    """NIR: dt None takes the file's own, else its producer's (snnTorch 1e-4, Norse 1e-3)."""
def export_nir(graph: SNNGraph, path: str, dt: Optional[float] = None) -> None: ...
def example_graph(seed: int = 42) -> SNNGraph: ...
def available_passes() -> list[str]:
    """The retrain-free passes, in the default order (what optimize runs for None)."""
def all_passes() -> list[str]:
    """available_passes() and neuron_pruning (it needs a budget)."""
def optimize(graph: SNNGraph, passes: Optional[Sequence[str]] = None, *,
             dead_threshold: float = 0.0, similarity: float = 0.99, norm_tolerance: float = 0.01,
             fusion_activity: float = 0.01, validate: Optional[Data] = None, steps: int = 25,
             encoding: str = "rate", seed: int = 1, limit: int = 0,
             quantized: Sequence[int] = (), board: str = "icebreaker",
             budget_cycles: Union[None, float, str] = None,
             budget_kbit: Union[None, float, str] = None,
             budget_lc: Union[None, float, str] = None,
             target_latency: Optional[float] = None, target_lc: Optional[float] = None,
             progress: Progress = None) -> Tuple[SNNGraph, Report]:
    """Runs the passes on a copy; unknown pass names raise ValueError listing the valid ones.
    quantized: the FPGA core's weight widths: the passes keep it exact there and, with validate,
    its accuracy and hardware figures (on board) are measured. budget_*: neuron_pruning's
    budgets, a number or 'N%' of the input graph's. target_latency (ms) / target_lc (logic
    cells): each graph's lanes and memory chosen for that target (ValueError when not met)."""
def sweep(graph: SNNGraph, parameter: str, values: Sequence[float],
          passes: Optional[Sequence[str]] = None, *, dead_threshold: float = 0.0,
          similarity: float = 0.99, norm_tolerance: float = 0.01, fusion_activity: float = 0.01,
          validate: Optional[Data] = None, steps: int = 25, encoding: str = "rate", seed: int = 1,
          limit: int = 0, board: str = "icebreaker", bits: int = 8, lanes: int = 4,
          memory: str = "auto", progress: Progress = None) -> SweepResult:
    """The passes at each value of parameter ('dead-threshold', 'similarity', 'norm-tolerance',
    'fusion-activity', 'budget-cycles': neuron_pruning's, in % of the input graph's cycles); per
    point the size, the estimate on the board, the cycles per inference (with validate) and the
    accuracy. bits or lanes 0: chosen for each graph."""
def evaluate(graph: SNNGraph, data: Data, *, steps: int = 25, encoding: str = "rate",
             seed: int = 1, limit: int = 0, progress: Progress = None) -> Activity: ...
def rates(graph: SNNGraph, data: Data, *, steps: int = 25, encoding: str = "rate", seed: int = 1,
          limit: int = 0, progress: Progress = None) -> SNNGraph:
    """A copy of the graph holding the firing rates measured on data."""
def simulate(graph: SNNGraph, input: ArrayLike) -> list[npt.NDArray[np.float32]]: ...
def boards() -> list[str]: ...
def quantize(graph: SNNGraph, *, bits: int = 8, membrane_bits: int = 16, steps: int = 16,
             clip_percentile: float = 100.0) -> QuantizedNetwork:
    """The FPGA core's integers (snnc export --bits); ValueError naming the layer for what the
    hardware cannot compute."""
def estimate(graph: SNNGraph, *, board: str = "icebreaker", bits: int = 8, lanes: int = 4,
             steps: int = 16, membrane_bits: int = 16, memory: str = "auto") -> Estimate: ...
def export_hardware(graph: SNNGraph, directory: str, *, board: str = "icebreaker", bits: int = 8,
                    lanes: int = 4, steps: int = 16, membrane_bits: int = 16,
                    memory: str = "auto", clock_mhz: float = 0.0) -> Tuple[Estimate, list[str]]:
    """clock_mhz: the core clock, 0 automatic (the oscillator until synth measures fmax)."""
def synth(graph: SNNGraph, directory: str, *, board: str = "icebreaker", bits: int = 8,
          lanes: int = 4, steps: int = 16, membrane_bits: int = 16, memory: str = "auto",
          clock_mhz: float = 0.0, log: Optional[Callable[[str], Any]] = None) -> FlowReport:
    """clock_mhz 0: automatic (FlowReport.clock says which and why). ValueError for bad input,
    RuntimeError when a tool fails, KeyboardInterrupt on Ctrl+C."""
def pipeline(model: Union[str, SNNGraph], data: str, output: str, *, board: str = "icebreaker",
             train: Optional[bool] = None, training: dict[str, Any] = {}, finetune_qat: int = 0,
             build: bool = True, passes: Optional[Sequence[str]] = None,
             dead_threshold: float = 0.0, similarity: float = 0.99, norm_tolerance: float = 0.01,
             fusion_activity: float = 0.01, bits: Optional[int] = None,
             lanes: Optional[int] = None, steps: int = 16, membrane_bits: int = 16,
             memory: str = "auto", progress: Progress = None) -> PipelineResult:
    """The whole chain as snnc pipeline runs it: train (None: when untrained), rates, passes,
    fine-tune (finetune_qat epochs), build into output/hardware; output gets optimized.h5 and
    report.json. training: snnc train's settings by their report keys (epochs, steps, batch, lr,
    encoding, loss, seed, slope, val_split, limit, test_limit, qat, qat_clip). ValueError for bad
    input, RuntimeError naming the stage that failed, OSError when output cannot be written,
    KeyboardInterrupt on Ctrl+C. progress(fraction, line) gets each stage's line as it ends."""
