"""The op layer: kernels and their registry records (:mod:`reftorch.ops.registry`), one module per op
family. Nothing here records autograd history; :mod:`reftorch._surface` installs the ops, wrapped in
the autograd layer, as ``reftorch.*`` functions and ``Tensor`` methods."""
