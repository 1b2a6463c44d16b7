//! The OpenAPI 3 description of the two endpoints, served at `/_emulator/openapi.json`,
//! so that tools and people can read the contract the emulator implements (API.md).

use serde_json::{json, Value};
use verify_core::CODES;

/// The document.
pub fn document() -> Value {
    let codes: Vec<&str> = CODES.iter().map(|c| c.code).collect();
    let error = json!({
        "description": "An error in the service's envelope; see the code table in API.md.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}
    });
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Kaleyra Verify (emulator)",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Generate and validate one-time passwords. Served by verify-emulator."
        },
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "api-key"}},
            "parameters": {
                "sid": {"name": "SID", "in": "path", "required": true, "schema": {"type": "string"}}
            },
            "schemas": {
                "GenerateRequest": {
                    "type": "object", "required": ["to"],
                    "properties": {
                        "flow_id": {"type": "string", "format": "uuid"},
                        "to": {"type": "object", "required": ["mobile"], "properties": {
                            "mobile": {"type": "string", "description": "E.164 numbers, comma-separated", "example": "+12025550123"},
                            "email": {"type": "string", "format": "email"}
                        }},
                        "otp": {"type": "string", "pattern": "^[A-Za-z0-9]+$"}
                    }
                },
                "Generated": {
                    "type": "object", "required": ["data"],
                    "properties": {"data": {"type": "object", "properties": {
                        "verify_id": {"type": "string", "format": "uuid"},
                        "to": {"type": "object", "properties": {
                            "mobile": {"type": "string"}, "email": {"type": "string"}}},
                        "flow_id": {"type": "string", "format": "uuid"}
                    }}}
                },
                "ValidateRequest": {
                    "type": "object", "required": ["verify_id", "otp"],
                    "properties": {"verify_id": {"type": "string"}, "otp": {"type": "string"}}
                },
                "Validated": {
                    "type": "object", "required": ["data"],
                    "properties": {"data": {"type": "object", "properties": {
                        "verify_id": {"type": "string"}, "message": {"type": "string"}}}}
                },
                "ErrorEnvelope": {
                    "type": "object", "required": ["error"],
                    "properties": {"error": {"type": "object", "properties": {
                        "code": {"type": "string", "enum": codes},
                        "type": {"type": "string"},
                        "parameter": {"type": "string"},
                        "message": {"type": "string"},
                        "reference": {"type": "string"}
                    }}}
                }
            }
        },
        "security": [{"apiKey": []}],
        "paths": {
            "/v1/{SID}/verify": {"post": {
                "operationId": "generate",
                "summary": "Generate an OTP and send it on the flow's channels",
                "parameters": [{"$ref": "#/components/parameters/sid"}],
                "requestBody": {"required": true, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/GenerateRequest"}}}},
                "responses": {
                    "200": {"description": "Generated", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Generated"}}}},
                    "400": error.clone(), "401": error.clone(), "413": error.clone(),
                    "429": error.clone(), "500": error.clone()
                }
            }},
            "/v1/{SID}/verify/validate": {"post": {
                "operationId": "validate",
                "summary": "Validate an OTP (single use)",
                "parameters": [{"$ref": "#/components/parameters/sid"}],
                "requestBody": {"required": true, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/ValidateRequest"}}}},
                "responses": {
                    "200": {"description": "Verified", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Validated"}}}},
                    "400": error.clone(), "401": error.clone(), "404": error.clone(),
                    "413": error.clone(), "429": error.clone(), "500": error
                }
            }}
        }
    })
}
