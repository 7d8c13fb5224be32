/** AWS CDK for Java app deploying the whole pipeline. */
package dev.rollcall.infra;
