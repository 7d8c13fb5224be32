/** Lambda handlers: EventBridge, SQS (partial batch failures) and webhooks (API Gateway HTTP API). */
package dev.rollcall.ingest;
