//! Integration tests against the real ONNX Runtime and real models.

mod bge_small;
mod errors;
mod runtime;
mod support;
mod tiny_model;
