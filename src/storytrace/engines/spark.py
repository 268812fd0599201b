"""The Apache Spark engine: the same stage functions, run by Spark on its own DataFrames.

A frame is a Spark DataFrame with the Arrow schema its rows have in storytrace (Spark has no
unsigned integers, so a ``uint64`` column travels as the ``int64`` of the same 64 bits).
Per-document steps are ``DataFrame.mapInArrow`` calling the step's function on slices of
each Arrow batch; grouping steps are ``groupBy(...).applyInArrow`` (one input) or
``cogroup(...).applyInArrow`` (two) over a bucket column, so one call gets whole groups of
about ``batch_rows`` rows, as on the local engine. The engine only moves and converts rows:
every decision stays in :mod:`storytrace.run.steps`.

A function with several outputs runs once per task: its tables are packed into one
DataFrame (an output tag and one struct column per output), kept by Spark
(``persist``), and each output is a filter of it.

A table is written by the executors as a folder of part files (see
:mod:`storytrace.table_files`): Spark range-partitions its rows on the table's sort keys,
and each task sorts its part and writes it with the local engine's Arrow writer, so the
rows, their types (``uint64`` included) and their order are the local engine's, and no
table passes through the driver. Tables made in the driver (small ones: the formula
counts, the rejects) are written as a folder of one part.

Example (not run here: it starts a JVM)::

    engine = SparkEngine("local[2]")
    storytrace.run.loop.run(["corpus.jsonl"], "runs/spark", engine=engine)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from functools import partial as partial_fn
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from storytrace import table_files
from storytrace.atomic import writing
from storytrace.config import Config
from storytrace.engines.base import Ingested, Keyed, OnDone, StageFn
from storytrace.engines.parquet import sort_on, write_table

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession
    from pyspark.sql.types import DataType

BUCKET = "_storytrace_bucket"
"""The column a grouping step is grouped on: a hash of the group key, or the key itself."""
TAG = "_storytrace_output"
"""In a packed DataFrame, the number of the output a row belongs to."""
DEFAULT_MASTER = "local[*]"
PART_ROWS = 50_000
"""Rows per part file of a table Spark writes: a documents part is then some hundreds of MB
(a row is a few KB), few enough files for a listing to stay quick at millions of rows."""


# -- types: storytrace's Arrow schemas as Spark carries them ------------------------------------


def wire_type(arrow: pa.DataType) -> pa.DataType:
    """The Arrow type a column has inside Spark: unsigned 64-bit integers as signed ones
    (the same bits; :func:`from_wire` turns them back), everything else as it is."""
    if pa.types.is_uint64(arrow):
        return pa.int64()
    if pa.types.is_list(arrow):
        return pa.list_(wire_type(arrow.value_type))
    if pa.types.is_struct(arrow):
        return pa.struct([pa.field(f.name, wire_type(f.type)) for f in arrow])
    return arrow


def wire_schema(schema: pa.Schema) -> pa.Schema:
    return pa.schema([pa.field(f.name, wire_type(f.type)) for f in schema])


def to_wire(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` (of ``schema``) as Spark takes it. An unsafe cast from uint64 to int64
    keeps the bits (2**64 - 1 becomes -1), which is what lets :func:`from_wire` undo it."""
    return table.select(schema.names).cast(schema).cast(wire_schema(schema), safe=False)


def from_wire(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Rows from Spark back in ``schema``: int64 bits to uint64, Spark's string and
    timestamp flavours to ours."""
    return table.select(schema.names).cast(schema, safe=False)


def spark_type(arrow: pa.DataType) -> DataType:
    """The Spark SQL type of an Arrow column of storytrace (only the types our schemas use)."""
    from pyspark.sql import types as st

    if pa.types.is_string(arrow) or pa.types.is_large_string(arrow):
        return st.StringType()
    if pa.types.is_binary(arrow):
        return st.BinaryType()
    if pa.types.is_boolean(arrow):
        return st.BooleanType()
    if pa.types.is_int32(arrow):
        return st.IntegerType()
    if pa.types.is_int64(arrow) or pa.types.is_uint64(arrow):
        return st.LongType()
    if pa.types.is_float64(arrow):
        return st.DoubleType()
    if pa.types.is_timestamp(arrow):
        return st.TimestampType() if arrow.tz else st.TimestampNTZType()
    if pa.types.is_list(arrow):
        return st.ArrayType(spark_type(arrow.value_type), containsNull=True)
    if pa.types.is_struct(arrow):
        return st.StructType([st.StructField(f.name, spark_type(f.type), True) for f in arrow])
    raise TypeError(f"no Spark type for the Arrow type {arrow}")


def spark_schema(schema: pa.Schema) -> Any:
    from pyspark.sql import types as st

    return st.StructType([st.StructField(f.name, spark_type(f.type), True) for f in schema])


def _signed(column: Column) -> Column:
    """A Parquet UINT_64 column as Spark reads it (decimal(20,0)) folded back to the int64 of
    the same bits, the form every frame of this engine holds."""
    from pyspark.sql import functions as sf

    high = sf.lit(Decimal(2**63))
    return sf.when(column >= high, column - sf.lit(Decimal(2**64))).otherwise(column).cast("long")


def _read_column(name: str, arrow: pa.DataType) -> Column:
    from pyspark.sql import functions as sf

    column = sf.col(f"`{name}`")
    if pa.types.is_uint64(arrow):
        return _signed(column).alias(name)
    if pa.types.is_list(arrow) and pa.types.is_uint64(arrow.value_type):
        return sf.transform(column, _signed).alias(name)
    if "uint64" in str(arrow):
        raise TypeError(f"column {name}: reading {arrow} from Parquet in Spark is not supported")
    return column


def _literal(path: Path) -> str:
    """``path`` as Spark reads it literally: Hadoop takes ``[``, ``{``, ``*`` and ``?`` in a
    path for a glob, so a run directory named ``out-local[2]`` would not be found."""
    text = str(path.resolve())
    for special in "\\[]{}*?":
        text = text.replace(special, "\\" + special)
    return text


# -- what runs in Spark's Python workers -------------------------------------------------------


Outputs = tuple[tuple[str, pa.Schema], ...]


def packed_schema(outputs: Outputs) -> pa.Schema:
    """One output as it is; several as a tag and one struct column per output."""
    if len(outputs) == 1:
        return wire_schema(outputs[0][1])
    fields = [pa.field(TAG, pa.int32())]
    fields += [
        pa.field(f"_{k}", pa.struct(list(wire_schema(schema))))
        for k, (_, schema) in enumerate(outputs)
    ]
    return pa.schema(fields)


def pack(found: Mapping[str, pa.Table], outputs: Outputs) -> pa.Table:
    """The tables a step function returned, as one table of :func:`packed_schema`."""
    target = packed_schema(outputs)
    if len(outputs) == 1:
        name, schema = outputs[0]
        return to_wire(found[name], schema)
    parts = []
    for k, (name, schema) in enumerate(outputs):
        rows = to_wire(found[name], schema)
        n = rows.num_rows
        columns: list[pa.Array | pa.ChunkedArray] = [pa.array(np.full(n, k, np.int32))]
        for j in range(len(outputs)):
            struct = target.field(f"_{j}").type
            columns.append(rows.to_struct_array() if j == k else pa.nulls(n, struct))
        parts.append(pa.Table.from_arrays(columns, schema=target))
    return pa.concat_tables(parts)


def map_partition(
    fn: StageFn,
    params: Mapping[str, Any],
    schema: pa.Schema,
    outputs: Outputs,
    batch_rows: int,
    batches: Iterator[pa.RecordBatch],
) -> Iterator[pa.RecordBatch]:
    """``mapInArrow``'s function: the step on slices of at most ``batch_rows`` rows."""
    for batch in batches:
        for start in range(0, batch.num_rows, batch_rows):
            rows = from_wire(pa.Table.from_batches([batch.slice(start, batch_rows)]), schema)
            yield from pack(fn(rows, **params), outputs).to_batches()


def apply_groups(
    fn: StageFn,
    params: Mapping[str, Any],
    schemas: tuple[pa.Schema, ...],
    outputs: Outputs,
    table: pa.Table,
) -> pa.Table:
    """``applyInArrow``'s function: the step on the whole groups of one bucket."""
    return pack(fn(from_wire(table, schemas[0]), **params), outputs)


def apply_cogroups(
    fn: StageFn,
    params: Mapping[str, Any],
    schemas: tuple[pa.Schema, ...],
    outputs: Outputs,
    left: pa.Table,
    right: pa.Table,
) -> pa.Table:
    """The same for a co-group: the rows of both inputs in one bucket."""
    rows = [from_wire(t, s) for t, s in zip((left, right), schemas, strict=True)]
    return pack(fn(*rows, **params), outputs)


def write_partition(
    schema: pa.Schema, sort_keys: tuple[str, ...], folder: str, batches: Iterator[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    """``mapInArrow``'s function that writes one range partition of a table as its part
    file, sorted as the local engine sorts, and yields the part's name and row count."""
    from pyspark import TaskContext

    wire = wire_schema(schema)
    table = pa.Table.from_batches(list(batches), schema=wire)
    if table.num_rows == 0:
        return
    context = TaskContext.get()
    number = context.partitionId() if context is not None else 0
    target = Path(folder) / table_files.part_name(number)
    write_table(sort_on(from_wire(table, schema), sort_keys), target)
    yield pa.RecordBatch.from_pylist(
        [{"part": target.name, "rows": table.num_rows}], schema=WRITTEN
    )


WRITTEN = pa.schema([("part", pa.string()), ("rows", pa.int64())])
"""What each task that writes a part reports."""


def _key_order(name: str, arrow: pa.DataType) -> Column:
    """The order Spark range-partitions a sort key in: Arrow's (ascending, nulls last). A
    ``uint64`` key travels as int64 bits, which sort as signed numbers; flipping the top
    bit gives the unsigned order."""
    from pyspark.sql import functions as sf

    column = sf.col(f"`{name}`")
    if pa.types.is_uint64(arrow):
        column = column.bitwiseXOR(sf.lit(-(2**63)))
    return column.asc_nulls_last()


# -- the engine --------------------------------------------------------------------------------


class SparkFrame:
    """The rows of a table in Spark, and their Arrow schema in storytrace.

    A frame of a table made in this process (ingest, a driver step) keeps that table, and
    becomes a DataFrame only when Spark works on it: writing or collecting it costs no round
    trip, and a table that is only written never crosses to the JVM. A frame read from a
    Parquet file knows its row count from the file's footer.
    """

    def __init__(
        self,
        schema: pa.Schema,
        df: DataFrame | None = None,
        local: pa.Table | None = None,
        rows: int | None = None,
    ) -> None:
        self.schema = schema
        self.local = local
        self.rows = local.num_rows if local is not None else rows
        self._df = df

    def df(self, session: SparkSession) -> DataFrame:
        if self._df is None:
            assert self.local is not None
            wire = to_wire(self.local, self.schema)
            self._df = session.createDataFrame(wire, schema=spark_schema(self.schema))
        return self._df


def _parquet_type(arrow: pa.DataType) -> DataType:
    """The Spark type Spark reads a Parquet column of ``arrow`` as (UINT_64 as a decimal)."""
    from pyspark.sql import types as st

    if pa.types.is_uint64(arrow):
        return st.DecimalType(20, 0)
    if pa.types.is_list(arrow):
        return st.ArrayType(_parquet_type(arrow.value_type), containsNull=True)
    if pa.types.is_struct(arrow):
        return st.StructType([st.StructField(f.name, _parquet_type(f.type), True) for f in arrow])
    return spark_type(arrow)


def start_session(master: str | None = None, shuffle_partitions: int | None = None) -> SparkSession:
    """A Spark session for a run: ``master`` (default: the one ``spark-submit`` was given,
    else ``local[*]``), Python workers on this interpreter unless ``PYSPARK_PYTHON`` says
    otherwise, UTC session time (timestamps cross as they are) and only errors logged."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("storytrace")
    if master or "PYSPARK_GATEWAY_PORT" not in os.environ:  # not under spark-submit
        builder = builder.master(master or DEFAULT_MASTER)
    builder = (
        builder.config("spark.sql.session.timeZone", "UTC")
        .config("spark.log.level", "ERROR")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    if shuffle_partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


class SparkEngine:
    """Runs the stages on Spark. ``master`` as for ``spark-submit --master``; or ``session``,
    a session to use (then :meth:`close` leaves it running: its owner stops it).
    ``part_rows``: about how many rows each part file of a table holds."""

    name = "spark"

    def __init__(
        self,
        master: str | None = None,
        session: SparkSession | None = None,
        shuffle_partitions: int | None = None,
        part_rows: int = PART_ROWS,
    ) -> None:
        self._own = session is None
        self.part_rows = part_rows
        self.session = session or start_session(master, shuffle_partitions)
        self._kept: list[DataFrame] = []

    # -- frames ----------------------------------------------------------------------------

    def ingest(
        self, inputs: Sequence[str | Path], config: Config, progress: OnDone | None = None
    ) -> Ingested:
        """The executors read the files (see :mod:`storytrace.engines.spark_ingest`)."""
        from storytrace.engines.spark_ingest import spark_ingest

        return spark_ingest(self, inputs, config)

    def put(self, table: pa.Table) -> SparkFrame:
        return SparkFrame(table.schema, local=table)

    def read(self, path: Path, columns: Sequence[str] | None = None) -> SparkFrame:
        from pyspark.sql import types as st

        whole = table_files.schema(path)
        schema = whole if columns is None else pa.schema([whole.field(c) for c in columns])
        # Given the schema, Spark need not open a file to learn it (one job less per read).
        stored = st.StructType([st.StructField(f.name, _parquet_type(f.type), True) for f in whole])
        df = self.session.read.schema(stored).parquet(_literal(path))
        df = df.select([_read_column(f.name, f.type) for f in schema])
        return SparkFrame(schema, df, rows=table_files.num_rows(path))

    def write(self, frame: SparkFrame, path: Path, sort_keys: Sequence[str]) -> None:
        """The table as a folder of parts (see the module docs). A table made in this
        process, or one without sort keys (its order is the order it was made in), is
        one part written here."""
        keys = tuple(sort_keys)
        with writing(path) as partial:
            partial.mkdir()
            if frame.local is not None or not keys:
                table = sort_on(self.collect(frame), keys)
                write_table(table, partial / table_files.part_name(0))
                frame.rows = table.num_rows
                return
            rows = self.num_rows(frame)
            parts = max(1, -(-rows // self.part_rows))
            order = [_key_order(k, frame.schema.field(k).type) for k in keys]
            df = frame.df(self.session).repartitionByRange(parts, *order)
            call = partial_fn(write_partition, frame.schema, keys, str(partial))
            written = df.mapInArrow(call, spark_schema(WRITTEN)).toArrow()
            names = set(written.column("part").to_pylist())
            frame.rows = sum(written.column("rows").to_pylist())
            for stray in partial.iterdir():  # a task attempt that failed or was re-run
                if stray.name not in names:
                    table_files.remove(stray)
            if not names:
                empty = frame.schema.empty_table()
                write_table(empty, partial / table_files.part_name(0))

    def num_rows(self, frame: SparkFrame) -> int:
        if frame.rows is None:
            frame.rows = int(frame.df(self.session).count())
        return frame.rows

    def collect(self, frame: SparkFrame) -> pa.Table:
        if frame.local is not None:
            return frame.local
        return from_wire(frame.df(self.session).toArrow(), frame.schema)

    # -- work ------------------------------------------------------------------------------

    def map_batches(
        self,
        fn: StageFn,
        frame: SparkFrame,
        outputs: Mapping[str, pa.Schema],
        batch_rows: int,
        params: Mapping[str, Any],
        on_done: OnDone | None = None,
    ) -> dict[str, SparkFrame]:
        wanted = tuple(outputs.items())
        df = frame.df(self.session)
        # A small table read from one Parquet row group is one partition: cut it so that
        # every core gets batches, as the local engine's pool does.
        tasks = -(-self.num_rows(frame) // batch_rows)
        if df.rdd.getNumPartitions() < tasks:
            df = df.repartition(tasks)
        call = partial_fn(map_partition, fn, dict(params), frame.schema, wanted, batch_rows)
        result = df.mapInArrow(call, spark_schema(packed_schema(wanted)))
        return self._unpack(result, wanted)

    def group_apply(
        self,
        fn: StageFn,
        inputs: Sequence[Keyed],
        outputs: Mapping[str, pa.Schema],
        batch_rows: int,
        params: Mapping[str, Any],
        on_done: OnDone | None = None,
    ) -> dict[str, SparkFrame]:
        from pyspark.sql import functions as sf

        if not 1 <= len(inputs) <= 2:
            raise ValueError(f"a grouping step reads one or two tables, not {len(inputs)}")
        frames: list[SparkFrame] = [i.frame for i in inputs]
        wanted = tuple(outputs.items())
        rows = sum(self.num_rows(f) for f in frames)
        buckets = max(1, -(-rows // batch_rows))
        grouped = []
        for frame, keyed in zip(frames, inputs, strict=True):
            key = sf.col(f"`{keyed.key}`")
            # batch_rows 1 asks for one call per group: group on the key itself. Otherwise
            # a hash of the key puts whole groups of about batch_rows rows in one call.
            bucket = key if batch_rows <= 1 else sf.pmod(sf.xxhash64(key), sf.lit(buckets))
            df = frame.df(self.session)
            grouped.append(df.withColumn(BUCKET, bucket).groupBy(BUCKET))
        schemas = tuple(f.schema for f in frames)
        target = spark_schema(packed_schema(wanted))
        given = dict(params)
        # Lambdas, not partials: pyspark reads the function's signature and type hints to
        # choose how to call it, and fails on a partial.
        if len(grouped) == 1:
            result = grouped[0].applyInArrow(
                lambda table: apply_groups(fn, given, schemas, wanted, table), target
            )
        else:
            result = (
                grouped[0]
                .cogroup(grouped[1])
                .applyInArrow(
                    lambda left, right: apply_cogroups(fn, given, schemas, wanted, left, right),
                    target,
                )
            )
        return self._unpack(result, wanted)

    def _unpack(self, result: DataFrame, outputs: Outputs) -> dict[str, SparkFrame]:
        """One frame per output. The result is kept by Spark so that the step's function
        runs once however many of its outputs are read, and however often."""
        from pyspark.sql import functions as sf

        result = result.persist()
        self._kept.append(result)
        if len(outputs) == 1:
            name, schema = outputs[0]
            return {name: SparkFrame(schema, result)}
        return {
            name: SparkFrame(schema, result.filter(sf.col(TAG) == k).select(f"_{k}.*"))
            for k, (name, schema) in enumerate(outputs)
        }

    def close(self) -> None:
        for df in self._kept:
            df.unpersist()
        self._kept.clear()
        if self._own:
            self.session.stop()
