/** AWS Batch container job: windowed, incremental, shardable rollups. */
package dev.rollcall.aggregate;
