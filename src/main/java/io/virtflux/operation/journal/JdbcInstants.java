package io.virtflux.operation.journal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/**
 * Binds and reads the journal's {@code TIMESTAMP WITH TIME ZONE} columns over JDBC as {@link
 * OffsetDateTime} at UTC.
 *
 * <p>JDBC 4.2 maps that column type to {@code OffsetDateTime} only: H2 also accepts {@link
 * Instant}, PostgreSQL's driver neither binds nor reads it. The same code then runs on both stores.
 */
final class JdbcInstants {

  private JdbcInstants() {}

  static void bind(PreparedStatement statement, int index, @Nullable Instant instant)
      throws SQLException {
    if (instant == null) {
      // typed: PostgreSQL's driver would otherwise have to guess the type of a bare NULL
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setObject(index, instant.atOffset(ZoneOffset.UTC));
    }
  }

  static @Nullable Instant read(ResultSet rows, int column) throws SQLException {
    OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static @Nullable Instant read(ResultSet rows, String column) throws SQLException {
    OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
