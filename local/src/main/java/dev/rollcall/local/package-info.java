/** The whole pipeline on one machine, no AWS account and no Docker. */
package dev.rollcall.local;
