package io.virtflux.operation;

import java.util.List;

/**
 * One page of operations, newest first.
 *
 * @param page zero-based page number
 * @param size the page size asked for (at most {@link #MAX_SIZE})
 * @param total how many operations match the filter
 */
public record OperationPage(List<Operation> items, int page, int size, long total) {

  public static final int MAX_SIZE = 100;

  public OperationPage {
    items = List.copyOf(items);
  }
}
