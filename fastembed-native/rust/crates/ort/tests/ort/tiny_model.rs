//! A two-node model built here, byte by byte: `y = Cast<float16>(x)` and `ids_out = Identity(ids)`.
//! It has symbolic shapes and float16 / int64 outputs, which bge-small does not.

use fastembed_ort::{ElementType, InputTensor, OrtError, Session, TensorInfo};

use crate::support;

/// A protobuf message written field by field (wire types varint and length-delimited only).
#[derive(Default)]
struct Message(Vec<u8>);

impl Message {
    fn varint_raw(&mut self, mut value: u64) {
        loop {
            let byte = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }

    fn int(mut self, field: u64, value: u64) -> Self {
        self.varint_raw(field << 3);
        self.varint_raw(value);
        self
    }

    fn bytes(mut self, field: u64, bytes: &[u8]) -> Self {
        self.varint_raw((field << 3) | 2);
        self.varint_raw(bytes.len() as u64);
        self.0.extend_from_slice(bytes);
        self
    }

    fn text(self, field: u64, text: &str) -> Self {
        self.bytes(field, text.as_bytes())
    }

    fn message(self, field: u64, message: Message) -> Self {
        self.bytes(field, &message.0)
    }
}

// Element type numbers of onnx.TensorProto.DataType.
const FLOAT: u64 = 1;
const INT64: u64 = 7;
const FLOAT16: u64 = 10;

/// onnx.ValueInfoProto of a rank-1 tensor whose length is the symbol "n".
fn vector(name: &str, element_type: u64) -> Message {
    let dimension = Message::default().text(2, "n"); // dim_param
    let shape = Message::default().message(1, dimension); // TensorShapeProto.dim
    let tensor = Message::default().int(1, element_type).message(2, shape); // TypeProto.Tensor
    let type_proto = Message::default().message(1, tensor); // TypeProto.tensor_type
    Message::default().text(1, name).message(2, type_proto)
}

/// onnx.ModelProto bytes of the model.
fn tiny_model() -> Vec<u8> {
    let to_float16 = Message::default().text(1, "to").int(3, FLOAT16).int(20, 2); // AttributeProto, type INT
    let cast = Message::default()
        .text(1, "x")
        .text(2, "y")
        .text(3, "cast")
        .text(4, "Cast")
        .message(5, to_float16);
    let identity = Message::default()
        .text(1, "ids")
        .text(2, "ids_out")
        .text(3, "copy")
        .text(4, "Identity");
    let graph = Message::default()
        .message(1, cast)
        .message(1, identity)
        .text(2, "tiny")
        .message(11, vector("x", FLOAT))
        .message(11, vector("ids", INT64))
        .message(12, vector("y", FLOAT16))
        .message(12, vector("ids_out", INT64));
    let opset = Message::default().int(2, 13); // default domain, opset 13
    Message::default().int(1, 8).message(8, opset).message(7, graph).0 // ir_version 8
}

fn tiny_session() -> Session {
    Session::from_memory(support::runtime(), &tiny_model(), &support::lean_options()).expect("load the tiny model")
}

#[test]
fn symbolic_dimensions_are_reported_as_minus_one() {
    let session = tiny_session();
    let info = |name: &str, element_type| TensorInfo {
        name: name.to_owned(),
        element_type,
        shape: vec![-1],
    };
    assert_eq!(
        session.inputs(),
        [info("x", ElementType::Float32), info("ids", ElementType::Int64)]
    );
    assert_eq!(
        session.outputs(),
        [info("y", ElementType::Float16), info("ids_out", ElementType::Int64)]
    );
}

#[test]
fn outputs_come_in_the_order_asked_with_their_types() {
    let session = tiny_session();
    // Values float16 represents exactly, so the round trip through it is lossless.
    let x = [0.5f32, -2.0, 1024.0, 0.0, -0.000_061_035_156];
    let ids = [3i64, -7, 1 << 20];
    let outputs = session
        .run(
            &[
                (
                    "ids",
                    InputTensor::I64 {
                        data: &ids,
                        shape: &[3],
                    },
                ),
                ("x", InputTensor::F32 { data: &x, shape: &[5] }),
            ],
            &["ids_out", "y"],
        )
        .unwrap();
    let [ids_out, y] = &outputs[..] else {
        panic!("expected two outputs, got {outputs:?}")
    };

    assert_eq!(ids_out.element_type(), ElementType::Int64);
    assert_eq!(ids_out.shape(), [3]);
    assert_eq!(ids_out.as_i64().unwrap(), ids);
    assert_eq!(ids_out.to_f32_vec().unwrap(), ids.map(|v| v as f32));

    assert_eq!(y.element_type(), ElementType::Float16);
    assert_eq!(y.shape(), [5]);
    assert_eq!(y.to_f32_vec().unwrap(), x);
}

#[test]
fn reading_a_tensor_as_another_type_is_an_error() {
    let session = tiny_session();
    let x = [1.0f32];
    let ids = [1i64];
    let outputs = session
        .run(
            &[
                ("x", InputTensor::F32 { data: &x, shape: &[1] }),
                (
                    "ids",
                    InputTensor::I64 {
                        data: &ids,
                        shape: &[1],
                    },
                ),
            ],
            &["y", "ids_out"],
        )
        .unwrap();
    let error = outputs[0].as_f32().unwrap_err();
    assert!(
        matches!(
            error,
            OrtError::WrongElementType {
                actual: ElementType::Float16,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(matches!(
        outputs[1].as_f32(),
        Err(OrtError::WrongElementType {
            actual: ElementType::Int64,
            ..
        })
    ));
    assert!(matches!(outputs[0].as_i64(), Err(OrtError::WrongElementType { .. })));
}

#[test]
fn empty_tensors_pass_through() {
    let session = tiny_session();
    let outputs = session
        .run(
            &[
                ("x", InputTensor::F32 { data: &[], shape: &[0] }),
                ("ids", InputTensor::I64 { data: &[], shape: &[0] }),
            ],
            &["y", "ids_out"],
        )
        .unwrap();
    for output in &outputs {
        assert_eq!(output.shape(), [0]);
        assert!(output.is_empty());
        assert!(output.to_f32_vec().unwrap().is_empty());
    }
}
