package io.omnihub.hub.api;

import io.omnihub.hub.console.RouteHealthBoard;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The route health board the console shows, in one call. */
@RestController
@RequestMapping(path = "/api/v1/board", produces = "application/json")
@Tag(name = "board", description = "Route health board")
public class BoardController {

    private final RouteHealthBoard board;

    public BoardController(RouteHealthBoard board) {
        this.board = board;
    }

    @GetMapping
    @Operation(summary = "The pipeline's routes and one row per connector instance: state, events per minute, error rate, "
            + "p95 latency, last error, circuit breaker, dead letters")
    public RouteHealthBoard.Board board() {
        return board.board();
    }
}
