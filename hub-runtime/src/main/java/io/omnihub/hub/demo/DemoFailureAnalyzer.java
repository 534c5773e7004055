package io.omnihub.hub.demo;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints why demo mode refused to start, and what to do, instead of a stack trace. */
class DemoFailureAnalyzer extends AbstractFailureAnalyzer<DemoRefusedException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DemoRefusedException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
