//! The interface in English and Spanish. Every text the page shows is a [`Msg`], declared once
//! below with both languages: a message without its Spanish is a compile error, and a view can
//! only show text it names. Templates name their blanks (`{steps}`) so word order can change.
//! The language comes from `lang=` in the URL, else the browser's; a switch in the header changes it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl Lang {
    /// `es`, `es-MX`, `EN-gb`...; `None` for languages the page does not speak.
    pub fn parse(code: &str) -> Option<Lang> {
        match code.split(['-', '_']).next()?.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }
}

/// Declares [`Msg`] and its texts; each entry must give both languages or the macro does not match.
macro_rules! messages {
    ($($(#[$doc:meta])* $name:ident => $en:literal, $es:literal;)*) => {
        /// A text of the interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($name),* }

        impl Msg {
            /// Every message, for the tests.
            pub const ALL: &'static [Msg] = &[$(Msg::$name),*];

            /// This message in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$name, Lang::En) => $en, (Msg::$name, Lang::Es) => $es,)*
                }
            }
        }
    };
}

/// A template with its `{name}` blanks filled.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    values.iter().fold(template.to_string(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

messages! {
    // Page
    ABigTeacherNetworkWas => "A big teacher network was trained offline. Here, in your browser, a small student learns to imitate the teacher's full answers — not just the right label but how sure it is of every other one. Next to it, the same student learns from the labels alone. Press Start and watch which one wins.", "Una red maestra grande se entrenó de antemano. Aquí, en tu navegador, una red alumna pequeña aprende a imitar las respuestas completas de la maestra: no solo la etiqueta correcta, sino cuánta confianza tiene en cada una de las demás. A su lado, la misma alumna aprende solo de las etiquetas. Pulsa Empezar y mira cuál gana.";
    EverythingRunsInThisPage => "Everything runs in this page: the data and the teacher's outputs come from this site, nothing else is contacted. Idea: Hinton, Vinyals & Dean, Distilling the Knowledge in a Neural Network (2015).", "Todo se ejecuta en esta página: los datos y las salidas de la maestra vienen de este sitio y no se contacta con nada más. Idea: Hinton, Vinyals y Dean, Distilling the Knowledge in a Neural Network (2015).";
    Language => "Language", "Idioma";
    // Status
    TrainingStatus => "Training status", "Estado del entrenamiento";
    Starting => "Starting…", "Iniciando…";
    LoadingTheTeachersOutputsPercent => "Loading the teacher's outputs… {percent}", "Cargando las salidas de la maestra… {percent}";
    ReadyStepsStepsOnExamples => "Ready: {steps} steps on {examples} examples. Press Start.", "Listo: {steps} pasos con {examples} ejemplos. Pulsa Empezar.";
    TrainingStepStepOfSteps => "Training: step {step} of {steps}", "Entrenando: paso {step} de {steps}";
    PausedStepStepOfSteps => "Paused: step {step} of {steps}", "En pausa: paso {step} de {steps}";
    FinishedStepStepOfSteps => "Finished: step {step} of {steps}", "Terminado: paso {step} de {steps}";
    StoppedByAnError => "Stopped by an error", "Detenido por un error";
    Backend => "Backend: ", "Motor: ";
    SomeSettingsInTheLink => "Some settings in the link were not used: ", "Algunos ajustes del enlace no se usaron: ";
    Start => "Start", "Empezar";
    Pause => "Pause", "Pausa";
    OneStep => "One step", "Un paso";
    Reset => "Reset", "Reiniciar";
    // Controls
    Settings => "Settings", "Ajustes";
    Dataset => "Dataset", "Conjunto de datos";
    MNISTHandwrittenDigitsFashionMNIST => "MNIST: handwritten digits. Fashion-MNIST: photos of clothes, harder. 28×28 grey images, 10 classes.", "MNIST: dígitos escritos a mano. Fashion-MNIST: fotos de ropa, más difícil. Imágenes grises de 28×28, 10 clases.";
    Teacher => "Teacher", "Maestra";
    TheBigNetworkTrainedOffline => "The big network trained offline on the full dataset. Its outputs for every training image were saved; the students learn from those.", "La red grande entrenada de antemano con todos los datos. Se guardaron sus salidas para cada imagen de entrenamiento; las alumnas aprenden de ellas.";
    Student => "Student", "Alumna";
    TheSmallNetworkTrainedHere => "The small network trained here. mlp:100 is one hidden layer of 100 units; cnn:8-16-64 is a small convolutional net.", "La red pequeña que se entrena aquí. mlp:100 es una capa oculta de 100 unidades; cnn:8-16-64 es una red convolucional pequeña.";
    WhatTheStudentSeesOf => "What the student sees of the teacher", "Qué ve la alumna de la maestra";
    WhiteBoxTheFullProbability => "White box: the full probability of every class. Black box: only what an API would return — the top label, or the top-k probabilities.", "Caja blanca: la probabilidad completa de cada clase. Caja negra: solo lo que devolvería una API, la etiqueta más probable o las k probabilidades mayores.";
    TemperatureT => "Temperature T", "Temperatura T";
    DividesTheTeachersLogitsBefore => "Divides the teacher's logits before the softmax. Higher T softens the probabilities and reveals which wrong classes the teacher finds plausible — the 'dark knowledge'. The soft loss is multiplied by T² so its gradients keep their size.", "Divide los logits de la maestra antes del softmax. Una T alta suaviza las probabilidades y revela qué clases incorrectas le parecen plausibles a la maestra: el «conocimiento oscuro». La pérdida suave se multiplica por T² para que sus gradientes conserven su tamaño.";
    THasNoEffectOn => "T has no effect on a top-1 label or on labels alone.", "T no influye en una etiqueta top-1 ni en las etiquetas solas.";
    WeightOfTheTeacher => "α (weight of the teacher)", "α (peso de la maestra)";
    TheLossIsSoftLoss => "The loss is α × soft loss (match the teacher) + (1 − α) × hard loss (match the true label).", "La pérdida es α × pérdida suave (imitar a la maestra) + (1 − α) × pérdida dura (acertar la etiqueta verdadera).";
    LearningRate => "Learning rate", "Tasa de aprendizaje";
    StepSizeOfTheAdam => "Step size of the Adam optimiser; it decays to zero along a cosine over the run. Too high and training diverges.", "Tamaño del paso del optimizador Adam; decae hasta cero siguiendo un coseno a lo largo del entrenamiento. Si es demasiado alta, el entrenamiento diverge.";
    BatchSize => "Batch size", "Tamaño del lote";
    ExamplesPerOptimiserStep => "Examples per optimiser step.", "Ejemplos por paso del optimizador.";
    TrainingLengthEpochs => "Training length (epochs)", "Duración del entrenamiento (épocas)";
    PassesOverTheTransferSet => "Passes over the transfer set.", "Pasadas sobre el conjunto de transferencia.";
    QueryBudgetTrainingExamples => "Query budget (training examples)", "Presupuesto de consultas (ejemplos de entrenamiento)";
    HowManyTrainingImagesThe => "How many training images the students get — and so how many times the teacher is asked. Both students see the same images.", "Cuántas imágenes de entrenamiento reciben las alumnas, y por tanto cuántas veces se consulta a la maestra. Las dos alumnas ven las mismas imágenes.";
    TheTeachersApi => "The teacher's API: the copier's questions and the owner's defences", "La API de la maestra: las preguntas de quien copia y las defensas de su dueño";
    HowTheCopierAsksHelp => "All at once: the whole budget is drawn at random before training. In rounds: a random first round, then after each round of training the student picks the next images among those not asked yet — at random, those it is least sure of, or those least like everything asked so far. Each answer costs one query.", "De una vez: todo el presupuesto se sortea antes de entrenar. Por rondas: una primera ronda al azar y, tras entrenar con cada ronda, la alumna elige las siguientes imágenes entre las no preguntadas: al azar, las que menos claras tiene o las menos parecidas a lo ya preguntado. Cada respuesta cuesta una consulta.";
    AskedAbout => "Images asked about", "Imágenes preguntadas";
    AskedAboutHelp => "The images the copier shows the teacher. Without the teacher's training data it can ask about pictures of another kind, or scribbles it draws itself: the answers still carry some of what the teacher knows. Those images have no true labels, so there the labels-only student learns the teacher's top label.", "Las imágenes que quien copia le enseña a la maestra. Sin los datos de entrenamiento de la maestra puede preguntar por imágenes de otro tipo, o por garabatos que dibuja él mismo: las respuestas aún llevan parte de lo que sabe la maestra. Esas imágenes no tienen etiquetas verdaderas, así que con ellas la alumna de solo etiquetas aprende la etiqueta más probable de la maestra.";
    Questions => "Questions", "Preguntas";
    FirstRound => "First round (queries)", "Primera ronda (consultas)";
    FirstRoundHelp => "Images asked about at random before the student can choose.", "Imágenes preguntadas al azar antes de que la alumna pueda elegir.";
    EachLaterRound => "Each later round (queries)", "Cada ronda siguiente (consultas)";
    EachLaterRoundHelp => "Images chosen per round. After each round both students train again over every answer so far, for the set number of epochs.", "Imágenes elegidas por ronda. Tras cada ronda las dos alumnas vuelven a entrenar con todas las respuestas hasta ese momento, durante las épocas indicadas.";
    RoundedTo => "Defence: probabilities rounded to", "Defensa: probabilidades redondeadas a";
    RoundedToHelp => "The API rounds each probability it returns; small ones become 0.", "La API redondea cada probabilidad que devuelve; las pequeñas se quedan en 0.";
    NoiseOnTheAnswers => "Defence: noise on the probabilities", "Defensa: ruido en las probabilidades";
    NoiseOnTheAnswersHelp => "Standard deviation of random noise added to each returned probability, fresh for every answer.", "Desviación típica del ruido aleatorio que se suma a cada probabilidad devuelta, nuevo en cada respuesta.";
    QuotaPerUser => "Defence: honest answers per user (0: no quota)", "Defensa: respuestas honestas por usuario (0: sin cupo)";
    QuotaPerUserHelp => "After this many queries the API stops answering honestly.", "Tras estas consultas la API deja de responder con honestidad.";
    BeyondTheQuota => "Defence: beyond the quota", "Defensa: pasado el cupo";
    BeyondTheQuotaHelp => "Refuse: the query is spent and nothing is learnt. At random: an answer that looks like any other.", "Negarse: la consulta se gasta y no se aprende nada. Al azar: una respuesta que parece una más.";
    MissingClass => "Missing class", "Clase ausente";
    LeaveEveryExampleOfOne => "Leave every example of one class out of the transfer set. Labels alone can never learn it; the teacher's soft targets on other images still mention it.", "Quita del conjunto de transferencia todos los ejemplos de una clase. Las etiquetas solas nunca pueden aprenderla; los objetivos suaves de la maestra en otras imágenes aún la mencionan.";
    Seed => "Seed", "Semilla";
    FixesTheInitialWeightsAnd => "Fixes the initial weights and the order of examples: the same seed gives the same curves on the same backend.", "Fija los pesos iniciales y el orden de los ejemplos: la misma semilla da las mismas curvas con el mismo motor.";
    Backend2 => "Backend", "Motor";
    WebGPURunsOnYourGraphics => "WebGPU runs on your graphics card; the CPU backend is burn compiled to WebAssembly, one thread per student when there are two cores. Small students are often faster on the CPU.", "WebGPU usa tu tarjeta gráfica; el motor CPU es burn compilado a WebAssembly, un hilo por alumna si hay dos núcleos. Las alumnas pequeñas suelen ir más rápido en la CPU.";
    OneWorkerPerStudent => "{backend} × 2: one worker per student", "{backend} × 2: un worker por alumna";
    // Options and small words
    TheTeachersTrainingImages => "The teacher's training images", "Las imágenes de entrenamiento de la maestra";
    AnotherDatasetsImages => "Another dataset's (clothes for a digit teacher, digits for a clothes one)", "Las de otro conjunto (ropa para una maestra de dígitos, dígitos para una de ropa)";
    RandomPenStrokes => "Random pen strokes, drawn here", "Trazos de lápiz al azar, dibujados aquí";
    AllAtOnceAtRandom => "All at once, at random", "De una vez, al azar";
    InRoundsAtRandom => "In rounds, at random", "Por rondas, al azar";
    InRoundsLeastSure => "In rounds: what the student is least sure of (uncertainty)", "Por rondas: lo que la alumna tiene menos claro (incertidumbre)";
    InRoundsUnlikeAsked => "In rounds: unlike what was asked (diversity)", "Por rondas: lo distinto de lo ya preguntado (diversidad)";
    ExactProbabilities => "Exact (no rounding)", "Exactas (sin redondeo)";
    DecimalsCount => "{decimals} decimals", "{decimals} decimales";
    RefuseToAnswer => "Refuse", "Negarse";
    AnswerAtRandom => "Answer at random", "Responder al azar";
    SoftTargetsWhiteBoxAll => "Soft targets (white box: all the teacher's logits)", "Objetivos suaves (caja blanca: todos los logits de la maestra)";
    TeachersTop1LabelOnly => "Teacher's top-1 label only (black box)", "Solo la etiqueta top-1 de la maestra (caja negra)";
    LabelsOnlyNoTeacher => "Labels only (no teacher)", "Solo etiquetas (sin maestra)";
    AutomaticWebGPUIfAvailable => "Automatic (WebGPU if available)", "Automático (WebGPU si está disponible)";
    WebGPU => "WebGPU", "WebGPU";
    CPUWasm => "CPU (wasm)", "CPU (wasm)";
    NoneEveryClassIsIn => "none: every class is in the transfer set", "ninguna: todas las clases están en el conjunto de transferencia";
    LeaveOutEveryName => "leave out every {name}", "quitar la clase {name}";
    ParametersParametersRatioSmallerThan => "{parameters} parameters, {ratio} smaller than the teacher", "{parameters} parámetros, {ratio} más pequeña que la maestra";
    LabelsOnly => "Labels only", "Solo etiquetas";
    RowsAreTheTrueClass => ": rows are the true class, columns the prediction", ": filas, la clase verdadera; columnas, la predicción";
    TruePredicted => "true \\ predicted", "verdadera \\ predicha";
    Accuracy => "accuracy", "exactitud";
    DownloadProgress => "download progress", "progreso de la descarga";
    SweepProgress => "sweep progress", "progreso del barrido";
    DrawingAreaDrawADigit => "drawing area: draw a digit with a pointer", "zona de dibujo: dibuja un dígito con el puntero";
    WhatTheStudentsSee => "what the students see", "lo que ven las alumnas";
    TheChosenTestImage => "the chosen test image", "la imagen de prueba elegida";
    Run => "Run", "Ejecución";
    Curve => "Curve", "Curva";
    Point => "Point", "Punto";
    Mode => "Mode", "Modo";
    Budget => "Budget", "Presupuesto";
    Epochs => "Epochs", "Épocas";
    Steps => "Steps", "Pasos";
    TestAccuracy => "Test accuracy", "Exactitud en prueba";
    Agreement => "Agreement", "Acuerdo";
    Seconds => "Seconds", "Segundos";
    Diverged => "diverged", "divergió";
    SaveNameSizeKB => "Save {name} ({size} kB)", "Guardar {name} ({size} kB)";
    Copied => "copied", "copiado";
    TeachersTopKProbabilities => "Teacher's top-{k} probabilities (black box)", "Las {k} probabilidades mayores de la maestra (caja negra)";
    T => "T", "T";
    ResultsTableScrolls => "Results table (scrolls sideways)", "Tabla de resultados (se desplaza en horizontal)";
    TeacherOption => "{teacher} — {dataset} {architecture}, {parameters} parameters, {accuracy} test accuracy", "{teacher} — {dataset} {architecture}, {parameters} parámetros, {accuracy} de exactitud en prueba";
    Alpha => "α", "α";
    Examples => "Examples", "Ejemplos";
    StudentDropout => "Student dropout", "Dropout de la alumna";
    DropoutHelp => "While training, each hidden unit of the student is switched off with this probability (never when it is scored). It regularises a large student on little data.", "Durante el entrenamiento, cada unidad oculta de la alumna se apaga con esta probabilidad (nunca al evaluarla). Regulariza a una alumna grande con pocos datos.";
    // Links, sweeps and errors
    KeyValueIsNotANumber => "{key}={value} is not a number", "{key}={value} no es un número";
    KeyValueExpectedOneOf => "{key}={value}: expected one of {choices}", "{key}={value}: se esperaba uno de {choices}";
    StudentCostsTooMuch => "student={student} at batch {batch} needs about {mib} MiB and {gflop} GFLOP a step; the page gives one student {limit_mib} MiB and {limit_gflop} GFLOP: {hint}", "student={student} con lote {batch} necesita unos {mib} MiB y {gflop} GFLOP por paso; la página da a cada alumna {limit_mib} MiB y {limit_gflop} GFLOP: {hint}";
    ABatchOfOrLessFits => "a batch of {batch} or less fits", "cabe con un lote de {batch} o menos";
    ChooseASmallerStudent => "choose a smaller student", "elija una alumna más pequeña";
    SweepSyntax => "`{text}`: expected setting:value,value,...", "`{text}`: se esperaba ajuste:valor,valor,...";
    CannotSweepKey => "cannot sweep `{key}`: choose one of {settings}", "no se puede barrer `{key}`: elige uno de {settings}";
    SweepNoValues => "`{text}`: no values", "`{text}`: sin valores";
    SweepTooMany => "a sweep runs at most {max} students", "un barrido entrena como máximo {max} alumnas";
    SweepOutOfRange => "sweep: {key}={value} is out of range", "barrido: {key}={value} está fuera de rango";
    NothingToSweep => "nothing to sweep: fill in what to vary", "nada que barrer: indica qué variar";
    SweepNotThisTask => "the {task} task does not use `{key}`: sweep one of {settings}", "la tarea {task} no usa `{key}`: barre uno de {settings}";
    OutOfRangeUsing => "{key}={value} is out of range; using {used}", "{key}={value} está fuera de rango; se usa {used}";
    BetweenStepsUsing => "{key}={value} falls between the steps of its control; using {used}", "{key}={value} cae entre los pasos de su control; se usa {used}";
    ErrorIgnored => "{error}; ignored", "{error}; se ignora";
    UnknownParameterIgnored => "unknown parameter `{key}` ignored", "parámetro desconocido `{key}`: se ignora";
    UnknownControlIgnored => "{list}: unknown control `{name}` ignored", "{list}: control desconocido `{name}`: se ignora";
    NoLessonIgnored => "there is no lesson `{id}`; ignored", "no existe la lección `{id}`; se ignora";
    KeyErrorIgnored => "{key}: {error}; ignored", "{key}: {error}; se ignora";
    ByNeedsASweep => "by= needs a sweep= to go with it; ignored", "by= necesita un sweep=; se ignora";
    LanguageIgnored => "lang={value}: the page speaks en and es; ignored", "lang={value}: la página habla en y es; se ignora";
    NoTeacherUsing => "there is no teacher `{given}`; using {used}", "no existe la maestra `{given}`; se usa {used}";
    TeacherOfTask => "teacher={teacher} teaches the {task} task; using task={task}", "teacher={teacher} es maestra de la tarea {task}; se usa task={task}";
    NotForThisTask => "{key}= is not a setting of the {task} task; ignored", "{key}= no es un ajuste de la tarea {task}; se ignora";
    NoPackIsLoaded => "No pack is loaded.", "No hay ningún paquete cargado.";
    TheTeacherFileCannotBeUsed => "This teacher file was not used (nothing changed): {detail}", "Este archivo de maestra no se ha usado (no ha cambiado nada): {detail}";
    ThePackCannotBeUsed => "The teacher's pack cannot be used: {detail}", "El paquete de la maestra no se puede usar: {detail}";
    TrainingFailed => "Training stopped: {detail}", "El entrenamiento se detuvo: {detail}";
    TheGpuDeviceWasLost => "The GPU device was lost ({detail}), and the students on it with it. Your settings and results are kept; press Reset to start again on a fresh device.", "Se perdió el dispositivo GPU ({detail}), y con él los estudiantes que tenía. Tus ajustes y resultados se conservan; pulsa Reiniciar para empezar de nuevo en un dispositivo nuevo.";
    WorkerMisunderstood => "The worker got a message it does not understand: {detail}", "El worker recibió un mensaje que no entiende: {detail}";
    NoTestImage => "There is no test image {index}.", "No existe la imagen de prueba {index}.";
    DrawingPixels => "A drawing has {expected} pixels, not {pixels}.", "Un dibujo tiene {expected} píxeles, no {pixels}.";
    NotALetter => "«{letter}» is not one of this word list's letters ({letters}).", "«{letter}» no es una de las letras de esta lista de palabras ({letters}).";
    Task => "Task", "Tarea";
    TaskHelp => "Images: the students learn to classify handwritten digits or clothes. Words: the students are small language models that learn to spell, one next letter at a time, from a larger one. Reasoning: a small transformer learns to solve problems step by step from a larger one's worked solutions.", "Imágenes: las alumnas aprenden a clasificar dígitos escritos a mano o prendas. Palabras: las alumnas son pequeños modelos de lenguaje que aprenden a escribir, letra a letra, de uno mayor. Razonamiento: un transformer pequeño aprende a resolver problemas paso a paso de las soluciones de uno más grande.";
    TaskImages => "Images (classify)", "Imágenes (clasificar)";
    TaskWords => "Words (a language model)", "Palabras (un modelo de lenguaje)";
    DistillationIsAheadByBits => "Distillation is ahead by {bits} bits per character.", "La destilación va por delante por {bits} bits por carácter.";
    WordsAloneAreAheadByBits => "The words alone are ahead by {bits} bits per character.", "Las palabras solas van por delante por {bits} bits por carácter.";
    SameStudentWordsAlone => "Same student, the words alone", "La misma alumna, solo las palabras";
    BitsPerCharacterLowerIsBetter => "Bits per character on the test words (lower is better)", "Bits por carácter en las palabras de prueba (menos es mejor)";
    WordsTeacherOption => "{teacher} — {language} words, {architecture}, {parameters} parameters, {bits} bits per character", "{teacher} — palabras en {language}, {architecture}, {parameters} parámetros, {bits} bits por carácter";
    WordsSizes => "Student: {parameters} parameters, {ratio} smaller than {teacher} ({teacher_parameters}). Scored in bits per character on {test_words} test words it never saw (lower is better; guessing among {tokens} tokens costs {uniform}); examples/s (both students): {speed}.", "Alumna: {parameters} parámetros, {ratio} más pequeña que {teacher} ({teacher_parameters}). Se mide en bits por carácter sobre {test_words} palabras de prueba que nunca vio (menos es mejor; adivinar entre {tokens} símbolos cuesta {uniform}); ejemplos/s (las dos alumnas): {speed}.";
    WordsTheyInvent => "Words each one invents (new at every report)", "Palabras que inventa cada una (nuevas en cada informe)";
    TheTeacherWrote => "The teacher (the words the text mode learns from)", "La maestra (las palabras de las que aprende el modo texto)";
    TheNextLetter => "The next letter", "La letra siguiente";
    TheNextLetterHelp => "Type the start of a word: each model's probability for the letter that comes next. The teacher's whole distribution is what the white box shows the student; its top letter alone is what a label shows; the rest is the dark knowledge of text.", "Escriba el comienzo de una palabra: la probabilidad que da cada modelo a la letra siguiente. La distribución entera de la maestra es lo que la caja blanca enseña a la alumna; su letra más probable sola, lo que enseña una etiqueta; el resto es el conocimiento oscuro del texto.";
    StartOfAWord => "Start of a word", "Comienzo de una palabra";
    EndOfWord => "end", "fin";
    English => "English", "inglés";
    WordsTeacherHelp => "A character-level language model trained offline on every training word of its list. The pack holds its likeliest next letters at every position of 2,000 words, 2,000 words it wrote, and the (small) teacher itself for the white box.", "Un modelo de lenguaje por caracteres entrenado de antemano con todas las palabras de entrenamiento de su lista. El paquete guarda sus letras siguientes más probables en cada posición de 2.000 palabras, 2.000 palabras que escribió y la propia maestra (pequeña) para la caja blanca.";
    WordsModeHelp => "White box: the teacher's whole next-letter distribution at every letter. Top-k: only its k likeliest letters (what is cached for large models). Text: words it wrote, as plain next letters (the R1-distill recipe). Labels: the real words alone.", "Caja blanca: la distribución entera de la maestra sobre la letra siguiente, en cada letra. Top-k: solo sus k letras más probables (lo que se guarda de los modelos grandes). Texto: palabras que escribió, como letras siguientes sin más (la receta de R1-distill). Etiquetas: solo las palabras reales.";
    WordsAsked => "Words read (and asked of the teacher)", "Palabras leídas (y consultadas a la maestra)";
    WordsAskedHelp => "How many of the pack's words the students read. Every mode but the words alone asks the teacher about each: its distribution at every letter, its top letters, or (text) a word it writes. Both students read as many.", "Cuántas palabras del paquete leen las alumnas. Todos los modos salvo el de solo palabras consultan a la maestra por cada una: su distribución en cada letra, sus letras más probables o (texto) una palabra que escribe. Las dos alumnas leen las mismas.";
    WordsStudentHelp => "The small network trained here: an MLP that reads the letters before the next one, each as 8 numbers it learns. mlp:64 is one hidden layer of 64 units; mlp:128-128 is two.", "La red pequeña que se entrena aquí: un MLP que lee las letras anteriores a la siguiente, cada una como 8 números que aprende. mlp:64 es una capa oculta de 64 unidades; mlp:128-128 son dos.";
    WordsQueryCounter => "Words put to the teacher: {spent} of {budget}.", "Palabras consultadas a la maestra: {spent} de {budget}.";
    Spanish => "Spanish", "español";
    TheWordsTheTeacherWrote => "Text: only words the teacher wrote (black box)", "Texto: solo palabras que escribió la maestra (caja negra)";
    // The reasoning task
    TaskReasoning => "Reasoning (show your work)", "Razonamiento (muestra tu trabajo)";
    ReasoningTeacherOption => "{teacher} — {architecture}, {parameters} parameters, {accuracy} of its answers right", "{teacher} — {architecture}, {parameters} parámetros, {accuracy} de sus respuestas correctas";
    ReasoningTeacherHelp => "A transformer trained offline to solve parity: given bits, it writes their running parity step by step, then the answer (1011 → >1101=1.). The pack holds its solutions to 2,000 problems of 5–8 bits, sampled at a temperature so that about a third are wrong, its probability for every symbol at every step, and the teacher itself, for the view below.", "Un transformer entrenado de antemano para resolver la paridad: dados unos bits, escribe su paridad acumulada paso a paso y luego la respuesta (1011 → >1101=1.). El paquete guarda sus soluciones a 2.000 problemas de 5 a 8 bits, muestreadas a una temperatura que deja un tercio mal, su probabilidad para cada símbolo en cada paso y la propia maestra, para la vista de abajo.";
    ReasoningModeHelp => "Labels: the true answers, no teacher. Top-1: the teacher's answers alone. Top-k: its answers with its probabilities. Text: its whole solutions, steps and all (the R1-distill recipe). Verified: only the solutions whose answer checks out (rejection sampling). White box: its solutions with its probabilities at every step.", "Etiquetas: las respuestas correctas, sin maestra. Top-1: solo las respuestas de la maestra. Top-k: sus respuestas con sus probabilidades. Texto: sus soluciones enteras, con los pasos (la receta de R1-distill). Verificado: solo las soluciones cuya respuesta es correcta (muestreo por rechazo). Caja blanca: sus soluciones con sus probabilidades en cada paso.";
    ProblemsAsked => "Problems asked of the teacher", "Problemas consultados a la maestra";
    ProblemsAskedHelp => "How many of the pack's problems the students learn from; every mode but labels learns from the teacher's solutions to them.", "Cuántos problemas del paquete estudian las alumnas; todos los modos salvo etiquetas aprenden de las soluciones de la maestra.";
    ProblemsQueryCounter => "Problems put to the teacher: {spent} of {budget}.", "Problemas consultados a la maestra: {spent} de {budget}.";
    AnswersRight => "Answers right on the test problems (%)", "Respuestas correctas en los problemas de prueba (%)";
    ReasoningSizes => "Student: a transformer of {parameters} parameters, {ratio} smaller than {teacher} ({teacher_parameters}), scored on test problems it never saw, writing its own solutions; {longer} bits is longer than any it was taught. Examples/s: {speed}.", "Alumna: un transformer de {parameters} parámetros, {ratio} más pequeño que {teacher} ({teacher_parameters}), evaluado en problemas de prueba que nunca vio, escribiendo sus propias soluciones; {longer} bits es más largo que todo lo que aprendió. Ejemplos/s: {speed}.";
    SameStudentAnswersAlone => "Same student, the true answers alone", "La misma alumna, solo las respuestas correctas";
    TheTeachersSolutions => "Text: the teacher's solutions, steps and all (black box)", "Texto: las soluciones de la maestra, con los pasos (caja negra)";
    OnlyItsRightSolutions => "Verified: only its solutions with a right answer (black box)", "Verificado: solo sus soluciones con la respuesta correcta (caja negra)";
    AccuracyBySize => "Answers right by problem size", "Respuestas correctas por tamaño del problema";
    ShowYourWork => "Show your work", "Muestra tu trabajo";
    ShowYourWorkHelp => "Type some bits: each model writes its solution one symbol at a time (> then the running parity, = then the answer); the paler a symbol, the less sure it was. A wrong answer is struck through.", "Escribe unos bits: cada modelo escribe su solución símbolo a símbolo (> y la paridad acumulada, = y la respuesta); cuanto más pálido un símbolo, menos segura estaba. Una respuesta incorrecta sale tachada.";
    AProblem => "A problem (bits)", "Un problema (bits)";
    TypeSomeBits => "Type some bits, e.g. 1011.", "Escribe unos bits, p. ej. 1011.";
    NotABit => "“{symbol}” is not a bit: a problem is made of 0s and 1s, e.g. 1011.", "«{symbol}» no es un bit: un problema se escribe con 0 y 1, p. ej. 1011.";
    TooManyBits => "{bits} bits is too many: at most {most}.", "{bits} bits son demasiados: como mucho {most}.";
    CannotLoadTheCatalog => "Cannot load packs/catalog.json: {detail}", "No se puede cargar packs/catalog.json: {detail}";
    NoPackForTeacher => "There is no pack for teacher `{teacher}`.", "No hay paquete para la maestra `{teacher}`.";
    TheTrainingWorkerStopped => "The training worker stopped: {detail}. Your settings are kept; press Reset to start again.", "El worker de entrenamiento se detuvo: {detail}. Tus ajustes se conservan; pulsa Reiniciar para empezar de nuevo.";
    TheWorkerIsOfAnotherVersion => "The training worker is from another version of the playground than this page ({detail}): the site was probably updated since this page opened. Reload the page; your settings and results are kept.", "El worker de entrenamiento es de otra versión del playground que esta página ({detail}): probablemente el sitio se actualizó desde que se abrió. Recarga la página; tus ajustes y resultados se conservan.";
    TheWorkerDidNotLoad => "The training worker could not be loaded (offline, or the site changed since this page opened). Your settings and results are kept; press Reset to try again.", "No se pudo cargar el worker de entrenamiento (sin conexión, o el sitio cambió desde que se abrió esta página). Tus ajustes y resultados se conservan; pulsa Reiniciar para volver a intentarlo.";
    ResultsNotKept => "This browser does not let the page keep the results table ({detail}): a reload loses it. Download it as CSV or JSON to keep it.", "Este navegador no deja que la página guarde la tabla de resultados ({detail}): al recargar se pierde. Descárgala como CSV o JSON para conservarla.";
    KeptResultsUnreadable => "The results kept from an earlier visit could not be read ({detail}); they were set aside, and this visit's are kept.", "No se pudieron leer los resultados guardados en una visita anterior ({detail}); se apartaron, y se guardan los de esta visita.";
    ThePageStopped => "The page hit an internal error and stopped ({detail}). Your settings are in the address bar: reload to start again with them.", "La página encontró un error interno y se detuvo ({detail}). Tus ajustes están en la barra de direcciones: recarga para empezar de nuevo con ellos.";
    Reload => "Reload", "Recargar";
    CannotReadTheFile => "Cannot read the file: {detail}", "No se puede leer el archivo: {detail}";
    WebGPUFallback => "WebGPU is not available here ({why}); training on the CPU instead.", "WebGPU no está disponible aquí ({why}); se entrena en la CPU.";
    AutomaticSkippedFallbackAdapter => "Automatic chose the CPU: the only WebGPU adapter here ({adapter}) is a software fallback, slower than the CPU. Choose WebGPU to use it anyway.", "Automático eligió la CPU: el único adaptador WebGPU aquí ({adapter}) es una emulación por software, más lenta que la CPU. Elija WebGPU para usarlo igualmente.";
    BackendStarting => "starting…", "iniciando…";
    // Charts and the dark-knowledge view
    SeriesDistilled => "distilled", "destilada";
    SeriesLabelsOnly => "labels only", "solo etiquetas";
    SeriesSoftLoss => "soft (T²·KL)", "suave (T²·KL)";
    SeriesHardLoss => "hard (labels)", "dura (etiquetas)";
    SeriesTotal => "total", "total";
    SeriesLabelsOnlyLoss => "labels-only loss", "pérdida solo etiquetas";
    SeriesExamplesPerSecond => "examples/s", "ejemplos/s";
    ChartNoData => "{what}: no data yet", "{what}: aún sin datos";
    ChartReadout => "at {x}: {values}", "en {x}: {values}";
    ChartAfter => "{what} after {examples} examples: {values}", "{what} tras {examples} ejemplos: {values}";
    ExamplesCaption => "{examples} examples", "{examples} ejemplos";
    AccuracyByQueries => "Test accuracy after each round of questions (%)", "Exactitud en prueba tras cada ronda de preguntas (%)";
    QueriesSpent => "Queries", "Consultas";
    HonestUserColumn => "Honest user", "Usuario honesto";
    QueriesCaption => "{queries} queries", "{queries} consultas";
    QueryCounter => "Queries to the teacher's API: {spent} of {budget} spent, {answered} answered.", "Consultas a la API de la maestra: {spent} de {budget} gastadas, {answered} respondidas.";
    HonestUser => "Through this defence an honest user gets {accuracy} of the test images right (without it: {teacher}).", "Con esta defensa un usuario honesto acierta el {accuracy} de las imágenes de prueba (sin ella: {teacher}).";
    TeacherAtOne => "teacher, T = 1", "maestra, T = 1";
    TeacherAtT => "teacher, T = {t}", "maestra, T = {t}";
    DistilledStudentLower => "distilled student", "alumna destilada";
    LabelsOnlyStudent => "labels-only student", "alumna solo etiquetas";
    LooksLike => "{label} like {other}", "{label} parecido a {other}";
    AskedImage => "asked #{n}", "preguntada n.º {n}";
    NoTrueClass => "No true class: only the teacher's answer.", "Sin clase verdadera: solo la respuesta de la maestra.";
    // Headline
    DistilledStudent => "Distilled student", "Alumna destilada";
    SameStudentLabelsOnly => "Same student, labels only", "Misma alumna, solo etiquetas";
    TheTwoStudentsAreLevel => "The two students are level.", "Las dos alumnas están empatadas.";
    DistillationIsAheadByPoints => "Distillation is ahead by {points} points.", "La destilación va {points} puntos por delante.";
    LabelsAloneAreAheadBy => "Labels alone are ahead by {points} points.", "Las etiquetas solas van {points} puntos por delante.";
    StudentSizeOwnTeacher => "Student: {parameters} parameters, learning from {file} (a file of answers does not say how large its model is). Accuracy on {test_rows} test images; examples/s (both students): {speed}.", "Alumna: {parameters} parámetros, aprende de {file} (un archivo de respuestas no dice cuánto ocupa su modelo). Exactitud sobre {test_rows} imágenes de prueba; ejemplos/s (las dos alumnas): {speed}.";
    StudentParametersParametersRatioSmaller => "Student: {parameters} parameters, {ratio} smaller than the teacher {teacher} ({teacher_parameters} parameters). Accuracy on {test_rows} test images; examples/s (both students): {speed}.", "Alumna: {parameters} parámetros, {ratio} más pequeña que la maestra {teacher} ({teacher_parameters} parámetros). Exactitud sobre {test_rows} imágenes de prueba; ejemplos/s (las dos alumnas): {speed}.";
    TestImagesOfClassName => "Test images of class {name}, which neither student ever saw: the distilled student gets {right} of {total} right, labels only {baseline}.", "Imágenes de prueba de la clase {name}, que ninguna alumna vio nunca: la alumna destilada acierta {right} de {total}, la de solo etiquetas {baseline}.";
    AddToTheClassName => "Add to the class-{name} logit (the paper used +3.5)", "Sumar al logit de la clase {name} (el artículo usó +3,5)";
    WithShiftTheDistilledStudent => "With +{shift}: the distilled student gets {right} of {total} {name}s right ({accuracy} of all test images), labels only {baseline} ({baseline_accuracy}).", "Con +{shift}: la alumna destilada acierta {right} de {total} imágenes de {name} ({accuracy} de todas las de prueba), la de solo etiquetas {baseline} ({baseline_accuracy}).";
    // Panels
    Lessons => "Lessons", "Lecciones";
    LessonTextMissing => "its text did not load: reload the page to try again", "su texto no se cargó: recarga la página para intentarlo de nuevo";
    TestAccuracy2 => "Test accuracy (%)", "Exactitud en prueba (%)";
    AgreementWithTheTeacher => "Agreement with the teacher (%)", "Acuerdo con la maestra (%)";
    Loss => "Loss", "Pérdida";
    TrainingBatchAccuracy => "Training-batch accuracy (%)", "Exactitud en el lote de entrenamiento (%)";
    ThroughputExamplesSBothStudents => "Throughput (examples/s, both students)", "Rendimiento (ejemplos/s, las dos alumnas)";
    MakeAPNGOfThe => "Make a PNG of the charts", "Hacer un PNG de las gráficas";
    Sweep => "Sweep", "Barrido";
    SweepTestAccuracy => "Sweep: test accuracy (%)", "Barrido: exactitud en prueba (%)";
    SweepBitsPerChar => "Sweep: bits per character on the test words (lower is better)", "Barrido: bits por carácter en las palabras de prueba (menos es mejor)";
    Vary => "Vary", "Variar";
    OneCurvePer => "One curve per", "Una curva por";
    RunSweep => "Run sweep", "Lanzar el barrido";
    StopSweep => "Stop sweep", "Detener el barrido";
    RunIndexOfTotalStep => "Run {index} of {total}: step {step} of {steps}", "Ejecución {index} de {total}: paso {step} de {steps}";
    TrainOneStudentPerValue => "Train one student per value of a setting, on top of the settings on the left, and plot test accuracy against it. Write setting:value,value,… with a setting among {settings}. Optionally draw one curve per value of a second setting. When the query budget varies, every run still trains on as many examples (a smaller set gets more epochs).", "Entrena una alumna por cada valor de un ajuste, sobre los ajustes de la izquierda, y dibuja la exactitud en prueba frente a él. Escribe ajuste:valor,valor,… con un ajuste entre {settings}. Opcionalmente, dibuja una curva por cada valor de un segundo ajuste. Si varía el presupuesto, cada ejecución entrena con los mismos ejemplos en total (un conjunto menor recibe más épocas).";
    DrawADigit => "Draw a digit", "Dibuja un dígito";
    DrawWithTheMouseA => "Draw with the mouse, a finger or a pen; both students read it when you lift it. It works best on MNIST (the students learn digits there). The small image is what the students see.", "Dibuja con el ratón, un dedo o un lápiz; las dos alumnas lo leen al levantar el dedo o el puntero. Funciona mejor con MNIST (allí aprenden dígitos). La imagen pequeña es lo que ven las alumnas.";
    Clear => "Clear", "Borrar";
    DarkKnowledge => "Dark knowledge", "Conocimiento oscuro";
    ALabelSaysOnlyThis => "A label says only \"this is a 7\". The teacher's probabilities also say which other classes it resembles. At T = 1 those hints are tiny; a higher T makes them visible, and that is what the distilled student learns from. Pick an ambiguous example:", "Una etiqueta solo dice «esto es un 7». Las probabilidades de la maestra dicen además a qué otras clases se parece. Con T = 1 esas pistas son diminutas; una T más alta las hace visibles, y de eso aprende la alumna destilada. Elige un ejemplo ambiguo:";
    TrueClass => "True class: ", "Clase verdadera: ";
    Results => "Results", "Resultados";
    ShowingTheLastRows => "Showing the last {shown} of {total} rows; the CSV and JSON downloads hold every one.", "Se muestran las últimas {shown} de {total} filas; las descargas CSV y JSON las contienen todas.";
    OneRowPerTrainedStudent => "One row per trained student: each finished run adds two (distilled and labels only), each sweep run one. The files hold every setting, so a row can be reproduced. The table stays in this browser, across reloads, until you clear it.", "Una fila por alumna entrenada: cada ejecución terminada añade dos (destilada y solo etiquetas), cada ejecución de un barrido una. Los archivos guardan todos los ajustes, así que cada fila se puede reproducir. La tabla se queda en este navegador, aunque recargues, hasta que la borres.";
    DownloadCSV => "Download CSV", "Descargar CSV";
    DownloadJSON => "Download JSON", "Descargar JSON";
    StudentWeights => "Student weights", "Pesos de la alumna";
    SaveTheDistilledStudentAs => "Save the distilled student as a safetensors file (the format burn and PyTorch read), or load one saved here for the same student architecture.", "Guarda la alumna destilada como archivo safetensors (el formato que leen burn y PyTorch), o carga uno guardado aquí para la misma arquitectura.";
    ExportWeightsSafetensors => "Export weights (.safetensors)", "Exportar los pesos (.safetensors)";
    LoadWeights => "Load weights… ", "Cargar pesos… ";
    WeightsLoadedIntoTheDistilled => "Weights loaded into the distilled student; its scores below are re-measured.", "Pesos cargados en la alumna destilada; sus resultados se han vuelto a medir.";
    YourOwnTeacher => "Your own teacher", "Tu propia maestra";
    YourOwnTeacherHelp => "Train against a model of yours: a safetensors file with its train_logits and test_logits (F32, [N, 10]) for this dataset's images, in their original order. web/README.md has a Python script that writes one.", "Entrena contra un modelo tuyo: un archivo safetensors con sus train_logits y test_logits (F32, [N, 10]) para las imágenes de este conjunto, en su orden original. web/README.md trae un script de Python que lo escribe.";
    LoadTeacherLogits => "Load teacher logits… ", "Cargar logits de maestra… ";
    TeacherFromFile => "The students now learn from {file}: {accuracy} right on the pack's {rows} test images. Choosing a teacher above brings the pack's back.", "Las alumnas aprenden ahora de {file}: acierta el {accuracy} de las {rows} imágenes de prueba del paquete. Elegir una maestra arriba devuelve la del paquete.";
    ImportedTeacher => "Teacher ({file})", "Maestra ({file})";
    ShareThisExperiment => "Share this experiment", "Comparte este experimento";
    LinkEverySettingIsIn => "Link (every setting is in it)", "Enlace (lleva todos los ajustes)";
    CopyLink => "Copy link", "Copiar el enlace";
    OnTheCommandLine => "The same experiment on the command line, from a clone of the repository (README: The CLI)", "El mismo experimento en la línea de órdenes, desde un clon del repositorio (README: The CLI)";
    CopyAsCommand => "Copy as command", "Copiar como orden";
    EmbedInACoursePage => "Embed in a course page (add hide=… or lock=… to the src to hide or freeze controls)", "Insértalo en la página de un curso (añade hide=… o lock=… al src para ocultar o bloquear controles)";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_parse_from_urls_and_browsers() {
        assert_eq!(Lang::parse("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::parse("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
        for lang in [Lang::En, Lang::Es] {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
        }
    }

    #[test]
    fn templates_fill_and_translations_keep_their_blanks() {
        assert_eq!(fill("step {step} of {steps}", &[("step", "3".into()), ("steps", "9".into())]), "step 3 of 9");
        let blanks = |s: &str| {
            let mut b: Vec<String> =
                s.split('{').skip(1).filter_map(|p| p.split_once('}')).map(|p| p.0.into()).collect();
            b.sort();
            b
        };
        for &msg in Msg::ALL {
            assert_eq!(blanks(msg.text(Lang::En)), blanks(msg.text(Lang::Es)), "{msg:?}");
            assert!(!msg.text(Lang::Es).is_empty(), "{msg:?}");
        }
        assert_eq!(Msg::Start.text(Lang::Es), "Empezar");
        assert_eq!(Msg::Start.text(Lang::En), "Start");
    }
}
