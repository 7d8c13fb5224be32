/** Reproducible benchmarks printing ratios against baselines. */
package dev.rollcall.bench;
