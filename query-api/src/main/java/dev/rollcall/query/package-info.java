/** API Gateway HTTP API Lambda serving rollups and submitting aggregation jobs. */
package dev.rollcall.query;
