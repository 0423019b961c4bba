"""karmalint: check iGOT Karmayogi rights manifests against the DoPT policy."""

__version__ = "0.1.0"
